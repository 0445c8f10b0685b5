/* plan_tiered.c: a tiered subscription (free / pro / enterprise style), each
 * tier a monthly price and a quota of interactions.
 *
 * A customer's month is billed at the smallest tier whose quota covers its
 * interactions (customers sit on the tier their usage needs), or, with
 * assigned tiers, at the tier the customer holds (chosen at sign-up, moved
 * by the engine's upgrade and downgrade rules); beyond the tier's quota,
 * `overage` per interaction (0: the tier's price is all they pay).
 *
 *   bill = price_t,  t = min { t : interactions <= included_t }
 *        = price_T + overage x (interactions - included_T)   above the last */
#include "plan.h"

int plan_tier_of(const plan *p, double n)
{
    for (int t = 0; t < p->nsubs; t++)
        if (n <= p->subs[t].included)
            return t;
    return p->nsubs - 1;
}

double plan_tiered_bill(const plan *p, const plan_usage *u, const gsl_rng *r)
{
    (void)r;
    int t = p->assigned && u->tier >= 0 ? u->tier : plan_tier_of(p, u->interactions);
    double extra = u->interactions - p->subs[t].included;
    return p->subs[t].price + (extra > 0 ? extra * p->overage : 0);
}
