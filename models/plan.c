/* plan.c: the plan registry and dispatch. */
#include "plan.h"

typedef double (*bill_fn)(const plan *, const plan_usage *);

static const bill_fn bills[] = { [PLAN_FLAT] = plan_flat_bill };

const char *const plan_kind_names[] = { "flat", 0 };

const char *plan_kind_name(int kind)
{
    return plan_kind_names[kind];
}

double plan_bill(const plan *p, const plan_usage *u)
{
    return bills[p->kind](p, u);
}
