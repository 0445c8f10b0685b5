/* plan_hybrid.c: a base fee with included units and a price per unit after
 * ("$20 includes 200 queries, $0.05 each after"); a spending cap is the
 * plan's `maximum`.
 *
 *   bill = price + overage x max(0, interactions - included) */
#include <stdio.h>

#include "plan.h"

static double bill(const plan *p, const plan_usage *u, const gsl_rng *r)
{
    (void)r;
    double extra = u->interactions - p->included;
    return p->price + (extra > 0 ? extra * p->overage : 0);
}

/* with no included interactions it would be usage-based pricing */
static int check(plan *p, const plan_checker *ck)
{
    if (p->included <= 0)
        return ck->fail_at(ck, &p->included, NULL,
                        "invalid value for 'plans.%s.included': a hybrid plan with no included interactions is "
                        "usage-based pricing: include some (found %g) or use type: usage", p->name, p->included);
    return TS_OK;
}

static void describe(const plan *p, char *buf, size_t n)
{
    char a[32], b[32];
    snprintf(buf, n, "%s a month + %s per interaction over %.10g", plan_money(a, sizeof a, p->price),
             plan_money(b, sizeof b, p->overage), p->included);
}

static void terms(const plan *p, char *buf, size_t n)
{
    snprintf(buf, n, "$%.2f incl. %g, $%.4g after", p->price, p->included, p->overage);
}

static const char *price_key(const plan *p)
{
    (void)p;
    return "price";
}

static const char *const needs[] = { "price", "included", "overage", NULL };
static const char *const takes[] = { PLAN_QUOTA_KEYS, NULL };

const plan_type plan_type_hybrid = {
    .name = "hybrid",
    .summary = "a base fee that includes some interactions, a price for each one after",
    .needs = needs,
    .takes = takes,
    .check = check,
    .bill = bill,
    .describe = describe,
    .terms = terms,
    .price_key = price_key,
    .budget_key = "included",
};
