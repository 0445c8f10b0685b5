/* plan_usage.c: usage-based pricing, as billing systems meter it.
 *
 * The units: interactions, thousands of tokens, or the provider's own
 * inference cost (cost plus a markup: bill = cost x (1 + markup)).
 * Packages: units are counted in blocks of `package`, rounded up, down or
 * to the nearest block, and `unit_price` is then the price of a block.
 * Tiers, on the (packaged) units q, with bounds b_0 = 0 < b_1 < ... :
 *   graduated: sum_k price_k x (min(q, b_k) - b_(k-1))^+  + fees of the
 *              tiers reached
 *   volume:    q x price_k + fee_k, with k the tier that q falls in
 * Without tiers: q x unit_price. The base fee `price` is added to all. */
#include <math.h>

#include "plan.h"

static double packaged(const plan *p, double units)
{
    if (p->package <= 0)
        return units;
    double blocks = units / p->package;
    switch (p->rounding) {
    case ROUND_DOWN: return floor(blocks + 1e-9);
    case ROUND_NEAREST: return floor(blocks + 0.5);
    default: return ceil(blocks - 1e-9);
    }
}

double plan_usage_charge(const plan *p, double units)
{
    double q = packaged(p, units);
    if (p->ntiers == 0)
        return q * p->unit_price;
    if (p->tiering == TIERING_VOLUME) {
        int k = 0;
        while (k < p->ntiers - 1 && q > p->tiers[k].up_to)
            k++;
        return q * p->tiers[k].unit_price + (q > 0 ? p->tiers[k].flat_fee : 0);
    }
    double charge = 0, lower = 0;
    for (int k = 0; k < p->ntiers && q > lower; k++) {
        double upper = (k == p->ntiers - 1 || p->tiers[k].up_to <= 0) ? INFINITY : p->tiers[k].up_to;
        double in_tier = fmin(q, upper) - lower;
        charge += in_tier * p->tiers[k].unit_price + p->tiers[k].flat_fee;
        lower = upper;
    }
    return charge;
}

double plan_usage_bill(const plan *p, const plan_usage *u, const gsl_rng *r)
{
    (void)r;
    if (p->unit == UNIT_COST)
        return p->price + u->inference_cost * (1 + p->markup);
    double units = p->unit == UNIT_KTOKENS ? u->tokens / 1000 : u->interactions;
    return p->price + plan_usage_charge(p, units);
}
