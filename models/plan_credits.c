/* plan_credits.c: prepaid credits. A customer buys packs of `pack_credits`
 * credits at `pack_price`: `min_packs` every month, and more automatically
 * as its credits run out (an automatic top-up). Each interaction burns
 * credits at the rate of the model that served it. Credits left at the
 * month's end expire: that breakage is revenue with no cost behind it.
 *
 *   packs = max(min_packs, ceil(burned / pack_credits))
 *   bill  = price + packs x pack_price
 *   expired credits = packs x pack_credits - burned
 * With `rollover`, unused credits stay in a wallet for that many months
 * (wallet.c) and the engine passes the packs the wallet bought. */
#include <math.h>

#include "plan.h"

double plan_credits_rate(const plan *p, int model_index)
{
    for (int i = 0; i < p->nrates; i++)
        if (p->rates[i].model_index == model_index)
            return p->rates[i].credits;
    return p->credits_per_interaction;
}

double plan_credits_packs(const plan *p, double credits)
{
    return fmax(p->min_packs, ceil(credits / p->pack_credits - 1e-9));
}

double plan_credits_bill(const plan *p, const plan_usage *u, const gsl_rng *r)
{
    (void)r;
    double packs = u->packs >= 0 && p->rollover > 0 ? u->packs : plan_credits_packs(p, u->credits);
    return p->price + packs * p->pack_price;
}
