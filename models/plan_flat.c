/* plan_flat.c: the flat subscription (the textbook's bus pass).
 *
 *   bill = price, for every month in which the customer was signed up at
 *   any moment (billed in advance, no proration: a customer who joins on the
 *   20th or leaves on the 3rd pays the whole month). */
#include "plan.h"

double plan_flat_bill(const plan *p, const plan_usage *u, const gsl_rng *r)
{
    (void)r;
    (void)u;
    return p->price;
}
