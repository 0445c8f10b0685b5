/* plan.c: the plan registry, dispatch, and the charges common to all types. */
#include "plan.h"

#include <math.h>

typedef double (*bill_fn)(const plan *, const plan_usage *, const gsl_rng *);

static const bill_fn bills[PLAN_KIND_COUNT] = {
    [PLAN_FLAT] = plan_flat_bill,
    [PLAN_TIERED] = plan_tiered_bill,
    [PLAN_USAGE] = plan_usage_bill,
    [PLAN_HYBRID] = plan_hybrid_bill,
    [PLAN_OUTCOME] = plan_outcome_bill,
    [PLAN_CREDITS] = plan_credits_bill,
};

const char *const plan_kind_names[] = { "flat", "tiered", "usage", "hybrid", "outcome", "credits", 0 };

const char *plan_kind_name(int kind)
{
    return plan_kind_names[kind];
}

double plan_fixed_fee(const plan *p, const plan_usage *u)
{
    if (p->kind == PLAN_TIERED)
        return p->subs[p->assigned && u->tier >= 0 ? u->tier : plan_tier_of(p, u->interactions)].price;
    return p->price;
}

/* bill = type's bill + per_seat x seats; in arrears the fixed fees are
 * prorated: bill - (1 - active) x (fixed fee + seat fees). */
double plan_bill(const plan *p, const plan_usage *u, const gsl_rng *r)
{
    if (u->active_fraction <= 0)
        return 0.0;
    double seats = u->seats > 0 ? u->seats : 1;
    double b = bills[p->kind](p, u, r) + p->per_seat * seats;
    if (p->billing == BILLING_ARREARS && u->active_fraction < 1)
        b -= (1 - u->active_fraction) * (plan_fixed_fee(p, u) + p->per_seat * seats);
    if (p->minimum > 0 && b < p->minimum)
        b = p->minimum;
    if (p->maximum > 0 && b > p->maximum)
        b = p->maximum;
    return b;
}
