/* choice.c: a menu's customers choose their plan at sign-up.
 *
 * A customer of intensity x and willingness to pay v values plan k at
 * v times the share of x the plan serves in full (a quota's hard cap or a
 * free tier's limit serves less, a soft limit's delay deters a part), and
 * expects to pay the plan's bill for that usage in a month at average cost
 * and credits per interaction: its own expected usage, not a realised
 * month. Surplus = value - bill; the choice is the logit of
 * models/demand.h. O(plans) per sign-up, no per-interaction work. */
#include <gsl/gsl_randist.h>
#include <math.h>

#include "models/demand.h"
#include "models/shock.h"
#include "engine_internal.h"
#include "rng.h"

int engine_choice_prepare(workspace *w, const scenario *s)
{
    w->menu = s->wtp.on && s->wtp.choice == CHOICE_MENU;
    w->plans0 = s->plans;
    for (int p = 0; p < s->nplans; p++)
        w->offered[p] = true;
    for (int p = 0; p < s->nplans; p++)
        if (s->plans[p].switch_index >= 0)
            w->offered[s->plans[p].switch_index] = false;   /* its future terms, not an offer of its own */
    if (w->menu && !(w->crn = gsl_rng_alloc(ts_rng_xoshiro256)))
        return -1;
    w->epi_cost = w->epi_tok = 0;
    for (int p = 0; p < s->nplans; p++)
        w->epi_cr[p] = 0;
    for (int f = 0; f < s->nfeatures; f++)
        for (int r = 0; r < feature_route_count(&s->features[f]); r++) {
            double k = s->features[f].share * w->route_p[f][r];
            w->epi_cost += k * w->cost[f][r];
            w->epi_tok += k * w->tokens[f][r];
            for (int j = 0; j < w->nq; j++)
                w->epi_cr[w->qplan[j]] += k * w->crate[j][f][r];
        }
    return 0;
}

/* Interactions of the x a month a customer wants that plan pl serves. */
static double served_of(const plan *pl, double x)
{
    if (pl->free_tier)
        return pl->free_limit > 0 ? fmin(x, pl->free_limit) : x;
    double soft = pl->soft_at > 0 && pl->quota > 0 ? pl->soft_at * pl->quota : INFINITY;
    double cap = pl->hard_cap && pl->quota > 0 ? pl->quota : INFINITY;
    double normal = fmin(fmin(x, soft), cap);
    return normal + fmax(0, fmin((x - normal) * pl->soft_keep, cap - normal));
}

/* Plan bp's bill for n interactions a month at average cost, from a
 * stream reseeded to `seed` (so two bills of one plan share their draws). */
static double bill_at(workspace *w, const plan *bp, double n, const customer *c, double t, uint64_t seed)
{
    if (bp->free_tier)
        return 0;
    int tier = plan_keeps(bp) & PLAN_KEEPS_TIER ? plan_type_of(bp)->tier_start(bp, n) : -1;
    plan_usage pu = { .interactions = n, .tokens = n * w->epi_tok, .inference_cost = n * w->epi_cost,
                      .credits = n * w->epi_cr[bp - w->plans0], .packs = -1, .active_fraction = 1,
                      .seats = c->seats, .tier = tier, .month = (int)t };
    ts_rng_reseed(w->crn, seed, 0);
    return plan_bill(bp, &pu, w->crn);
}

int engine_choose_plan(workspace *w, const scenario *s, customer *c, double t, double *bill)
{
    double surplus[PLAN_MAX], use[PLAN_MAX], pay[PLAN_MAX], worth[PLAN_MAX];
    double x = c->intensity;
    const wtp_cfg *wc = &s->wtp;
    uint64_t seed = gsl_rng_get(w->rng);
    /* a competitor's price, as shocked this month, is the outside option */
    double outside = demand_outside_surplus(wc, c->wtp, shock_type_factor(s->world.shocks, s->world.nshocks,
                                                                          SHOCK_COMPETITOR_PRICE, -1, (int)t + 1));
    for (int p = 0; p < s->nplans; p++) {
        const plan *pl = &s->plans[p];
        /* after a pricing change a newcomer sees the plan it changed to */
        const plan *bp = pl->switch_index >= 0 && w->changed_at[p] <= t ? &s->plans[pl->switch_index] : pl;
        double xp = x;
        if (wc->usage_elasticity > 0) {
            /* the marginal price over the next tenth of its usage (a step of a
             * package or a tier is spread over it), then usage's answer */
            double d = fmax(1, 0.1 * x), n0 = served_of(bp, x), n1 = served_of(bp, x + d);
            double m = n1 > n0 ? (bill_at(w, bp, n1, c, t, seed) - bill_at(w, bp, n0, c, t, seed)) / (n1 - n0) : 0;
            xp = demand_usage_response(wc, x, m);
        }
        double n = served_of(bp, xp);
        use[p] = xp;
        pay[p] = bill_at(w, bp, n, c, t, seed);
        /* it values what it gets against what it would use with no price at the margin */
        worth[p] = x > 0 ? c->wtp * n / x : c->wtp;
        surplus[p] = w->offered[p] ? worth[p] - pay[p] - outside : -INFINITY;
    }
    int k = demand_choose(surplus, s->nplans, wc->logit_scale, gsl_rng_uniform(w->rng));
    if (k >= 0) {
        c->intensity = use[k];
        *bill = pay[k];
        c->vhaz = (float)demand_value_hazard(wc, pay[k], worth[k]);
    }
    return k;
}

int engine_menu_repriced(workspace *w, const scenario *s, int p, double t)
{
    const plan *pl = &s->plans[p];
    if (!w->menu || pl->switch_index < 0 || pl->migrate != MIGRATE_ALL || s->wtp.value_churn <= 0)
        return 0;
    const plan *bp = &s->plans[pl->switch_index];
    double base = s->customers.churn > 0 ? -log1p(-s->customers.churn) : 0;
    uint64_t seed = gsl_rng_get(w->rng);
    for (size_t i = 0; i < w->n; i++) {
        customer *c = &w->c[i];
        if (c->state != ST_ACTIVE || c->plan != p)
            continue;
        double x = c->intensity, n = served_of(bp, x);
        double bill = bill_at(w, bp, n, c, t, seed), worth = x > 0 ? c->wtp * n / x : c->wtp;
        c->vhaz = (float)demand_value_hazard(&s->wtp, bill, worth);
        double h = base + c->vhaz;
        c->leave = INFINITY;
        if (h <= 0)
            continue;
        double leave = t + gsl_ran_exponential(w->rng, 1.0 / h);
        c->leave = (float)leave;
        if (leave < s->horizon && !evq_event_schedule(w->q, leave, EV_CHURN, (uint32_t)i))
            return -1;
    }
    return 0;
}
