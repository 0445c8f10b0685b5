/* plan_hybrid.c: a base fee with included units and a price per unit after
 * ("$20 includes 200 queries, $0.05 each after"); a spending cap is the
 * plan's `maximum`.
 *
 *   bill = price + overage x max(0, interactions - included) */
#include "plan.h"

double plan_hybrid_bill(const plan *p, const plan_usage *u, const gsl_rng *r)
{
    (void)r;
    double extra = u->interactions - p->included;
    return p->price + (extra > 0 ? extra * p->overage : 0);
}
