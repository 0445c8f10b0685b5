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

double plan_bill(const plan *p, const plan_usage *u, const gsl_rng *r)
{
    if (u->active_fraction <= 0)
        return 0.0;
    double b = bills[p->kind](p, u, r);
    if (p->minimum > 0 && b < p->minimum)
        b = p->minimum;
    if (p->maximum > 0 && b > p->maximum)
        b = p->maximum;
    return b;
}
