/* plan_flat.c: the flat subscription (the textbook's bus pass).
 *
 *   bill = price, for every month in which the customer was signed up at
 *   any moment (billed in advance, no proration: a customer who joins on the
 *   20th or leaves on the 3rd pays the whole month). */
#include <stdio.h>

#include "plan.h"

static double bill(const plan *p, const plan_usage *u, const gsl_rng *r)
{
    (void)r;
    (void)u;
    return p->price;
}

/* "$20.00 flat": the words the reports and plot titles have always used */
static void describe(const plan *p, char *buf, size_t n)
{
    snprintf(buf, n, "$%.2f flat", p->price);
}

static const char *price_key(const plan *p)
{
    (void)p;
    return "price";
}

static const char *const needs[] = { "price", NULL };
static const char *const takes[] = { PLAN_QUOTA_KEYS, NULL };

const plan_type plan_type_flat = {
    .name = "flat",
    .summary = "one price a month, whatever the usage",
    .needs = needs,
    .takes = takes,
    .bill = bill,
    .describe = describe,
    .price_key = price_key,
    .budget_key = "quota",
};
