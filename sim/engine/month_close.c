/* month_close.c: the end of a month: every customer accrued to it and
 * billed under every plan (quotas, free tiers, credits, commitments, tier
 * moves, conversions, plan losses), the costliest 20%, self-hosting's
 * settlement and the month's metrics. */
#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "engine_internal.h"
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

/* Prices and bills every customer's month m, then starts month m+1. */
int engine_month_close(workspace *w, const scenario *s, run_result *out, int rep, int m, double *churned_in_month,
                       double *new_in_month)
{
    double t = m + 1;
    size_t nb = 0;
    double active_next = 0;
    const other_costs *oc = &s->costs;
    for (int p = 0; p < s->nplans; p++) {
        double *mm = run_month(out, rep, p, m);
        memset(mm, 0, MET_COUNT * sizeof *mm);
    }
    bool snap = rep == 0 && m == s->horizon - 1 && w->n > 0;
    if (snap) {
        out->snapshot = malloc(w->n * sizeof *out->snapshot);
        out->snap_interactions = malloc(w->n * sizeof *out->snap_interactions);
        out->snap_segment = malloc(w->n);
        out->snap_bill = malloc(w->n * (size_t)s->nplans * sizeof *out->snap_bill);
        snap = out->snapshot && out->snap_interactions && out->snap_segment && out->snap_bill;
    }
    for (size_t i = 0; i < w->n; i++) {
        customer *c = &w->c[i];
        if (c->state == ST_FREE)
            continue;
        if (c->state == ST_ACTIVE)
            engine_accrue(w, s, c, t);
        lawvar_customer_month(&s->usage, c, run_law(out, rep, m), run_law(out, rep, s->horizon),
                              c->state == ST_LEFT || m == s->horizon - 1);
        double inference = c->model_cost + c->retrieval_cost;
        double *bill = w->bills + nb * (1 + 2 * (size_t)s->nplans);
        memset(bill, 0, (1 + 2 * (size_t)s->nplans) * sizeof *bill);
        bill[0] = inference;
        for (int p = 0; p < s->nplans; p++) {
            double *mm = run_month(out, rep, p, m);
            /* what this plan served: the demand, or less under a quota */
            double n = c->interactions, tok = c->tokens, mc = c->model_cost, rc = c->retrieval_cost, cr = 0;
            int j = w->qof[p];
            bool free = false;
            if (j >= 0 && w->qs[i * (size_t)w->nq + j].lost)
                continue;               /* this plan lost the customer; the others keep it */
            if (j >= 0) {
                const qstate *q = &w->qs[i * (size_t)w->nq + j];
                const plan *pl = &s->plans[p];
                n = q->served;
                tok = q->tokens;
                mc = q->model_cost;
                rc = q->retrieval_cost;
                cr = q->credits;
                free = !q->paid;
                mm[MET_REFUSED] += q->refused;
                if (pl->quota > 0 && !free) {
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
            double inf = mc + rc;
            int tier = j >= 0 && s->plans[p].assigned ? w->qs[i * (size_t)w->nq + j].tier : -1;
            plan_usage pu = { .interactions = n, .tokens = tok, .inference_cost = inf, .credits = cr, .packs = -1,
                              .active_fraction = c->active, .seats = c->seats, .tier = tier, .month = m };
            double expired = -1;
            if (w->walof[p] >= 0 && !free) {
                double *lots = &w->lots[(i * (size_t)w->nwal + w->walof[p]) * WALLET_MAX_LOTS];
                pu.packs = wallet_month(&s->plans[p], lots, cr, &expired);
            }
            /* after a pricing change, the other plan's bill (for new customers only, if so) */
            const plan *bp = &s->plans[p];
            if (bp->switch_index >= 0 && w->changed_at[p] <= t - 1
                && (bp->migrate == MIGRATE_ALL || c->signup >= w->changed_at[p]))
                bp = &s->plans[bp->switch_index];
            double rev = free ? 0 : plan_bill(bp, &pu, w->plan_rng[p]);
            if (j >= 0 && !free && s->plans[p].commit > 0) {
                /* the commitment: at its period's end, or when the customer leaves */
                qstate *q = &w->qs[i * (size_t)w->nq + j];
                q->period_billed += rev;
                if ((m + 1) % s->plans[p].commit_months == 0 || c->state == ST_LEFT) {
                    double up = fmax(0, s->plans[p].commit - q->period_billed);
                    rev += up;
                    mm[MET_TRUEUP] += up;
                    q->period_billed = 0;
                }
            }
            if (j >= 0) {
                qstate *q = &w->qs[i * (size_t)w->nq + j];
                const plan *pl = &s->plans[p];
                /* a bill shock or a cap that bit may cost the plan this customer */
                bool shock = pl->shock_churn > 0 && q->last_bill > 0 && rev > (1 + pl->shock_threshold) * q->last_bill;
                bool bit = pl->cap_churn > 0 && q->refused > 0;
                if (c->state == ST_ACTIVE
                    && ((shock && gsl_rng_uniform(w->plan_rng[p]) < pl->shock_churn)
                        || (bit && gsl_rng_uniform(w->plan_rng[p]) < pl->cap_churn))) {
                    q->lost = 1;
                    mm[MET_PLAN_LOST] += 1;
                }
                q->last_bill = rev;
            }
            if (!free && bp->kind == PLAN_CREDITS)
                mm[MET_BREAKAGE] += (expired >= 0 ? expired : plan_credits_packs(bp, cr) * bp->pack_credits - cr)
                                    * bp->pack_price / bp->pack_credits;
            if (free) {
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
            mm[MET_INTERACTIONS] += n;
            mm[MET_TOKENS] += tok;
            mm[MET_REVENUE] += rev;
            mm[MET_MODEL_COST] += mc;
            mm[MET_RETRIEVAL_COST] += rc;
            mm[MET_INFRA_COST] += oc->infra_per_customer;
            mm[MET_PAYMENT_COST] += pay;
            double *sg = run_seg(out, rep, p, c->segment);
            sg[SEG_CUSTOMER_MONTHS] += 1;
            sg[SEG_INTERACTIONS] += n;
            sg[SEG_INFERENCE_COST] += inf;
            sg[SEG_OTHER_COST] += oc->infra_per_customer + pay;
            sg[SEG_REVENUE] += rev;
        }
        /* a new month for every plan's meter; free customers may convert */
        for (int j = 0; j < w->nq; j++) {
            qstate *q = &w->qs[i * (size_t)w->nq + j];
            int paid = q->paid;
            double period_billed = q->period_billed;
            int tier = q->tier, over = q->over, under = q->under, lost = q->lost;
            double last_bill = q->last_bill;
            const plan *pl = &s->plans[w->qplan[j]];
            if (pl->assigned && c->state == ST_ACTIVE) {
                /* tier moves: after enough months over the quota, or within the lower tier's */
                over = q->served > pl->subs[tier].included ? over + 1 : 0;
                under = tier > 0 && q->served <= pl->subs[tier - 1].included ? under + 1 : 0;
                if (pl->upgrade_after > 0 && over >= pl->upgrade_after && tier < pl->nsubs - 1
                    && gsl_rng_uniform(w->plan_rng[w->qplan[j]]) < pl->upgrade_prob) {
                    tier++;
                    over = 0;
                    run_month(out, rep, w->qplan[j], m)[MET_UPGRADES] += 1;
                } else if (pl->downgrade_after > 0 && under >= pl->downgrade_after
                           && gsl_rng_uniform(w->plan_rng[w->qplan[j]]) < pl->downgrade_prob) {
                    tier--;
                    under = 0;
                    run_month(out, rep, w->qplan[j], m)[MET_DOWNGRADES] += 1;
                }
            }
            if (!paid && c->state == ST_ACTIVE && pl->conversion > 0
                && gsl_rng_uniform(w->plan_rng[w->qplan[j]]) < pl->conversion) {
                paid = 1;
                run_month(out, rep, w->qplan[j], m)[MET_CONVERTED] += 1;
            }
            memset(q, 0, sizeof *q);
            q->limit_day = -1;
            q->paid = paid;
            q->period_billed = period_billed;
            q->tier = tier;
            q->over = over;
            q->under = under;
            q->lost = lost;
            q->last_bill = last_bill;
        }
        if (snap) {
            out->snap_interactions[nb] = c->interactions;
            out->snap_segment[nb] = c->segment;
        }
        w->scratch[nb++] = inference;
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
    /* self-hosting: the month's GPUs, and the API for the tokens past their
     * capacity, instead of the API for all (as the interactions were priced) */
    double self_adjust = 0;
    if (w->cp && w->cp->self_stage > 0) {
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
    }
    /* the costliest 20% of customers, found by the top-share selection's
     * threshold among the costs kept beside their bills */
    static const double ps[4] = { 0.20, 0.10, 0.05, 0.01 };
    double shares[4] = { NAN, NAN, NAN, NAN };
    size_t k20 = (size_t)ceil(0.2 * (double)nb - 1e-9), taken = 0, row = 1 + 2 * (size_t)s->nplans;
    if (nb > 0)
        top_shares(w->scratch, nb, ps, 4, shares);   /* scratch[0..k20) now holds the largest k20 */
    if (nb > 0 && k20 > 0) {
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
    for (int p = 0; p < s->nplans; p++) {
        double *mm = run_month(out, rep, p, m);
        mm[MET_NEW] = *new_in_month;
        mm[MET_CHURNED] = *churned_in_month;
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
        finish_month(mm, oc);
    }
    *churned_in_month = *new_in_month = 0;
    if (m + 1 < s->horizon)
        return engine_schedule_arrivals(w, s, m + 1, active_next);
    return 0;
}

