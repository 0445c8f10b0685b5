/* plan_outcome.c: outcome-based pricing (per resolved ticket, per document).
 *
 * A customer's interactions come in attempts; an attempt takes K
 * interactions, K uniform on the whole numbers a..b (mean mu, variance
 * s^2 = ((b - a + 1)^2 - 1) / 12), and fails to resolve with probability f.
 * A month of N interactions holds about N / mu attempts; by the renewal
 * central limit theorem their number is close to normal with mean N / mu
 * and variance N s^2 / mu^3, drawn here (rounded, at least 0) so that the
 * cost of a month does not depend on its number of attempts. Then
 *   resolved ~ Binomial(attempts, 1 - f),  bill = price_per_outcome x resolved
 * The provider carries the variance: the same interactions may bill more or
 * fewer outcomes. The draws come from the plan's own stream. */
#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdio.h>

#include "randist.h"
#include "plan.h"

double plan_outcome_mean(const plan *p)
{
    return (p->outcome_min + p->outcome_max) / 2;
}

double plan_outcome_var(const plan *p)
{
    double w = p->outcome_max - p->outcome_min + 1;
    return (w * w - 1) / 12;
}

static double bill(const plan *p, const plan_usage *u, const gsl_rng *r)
{
    double n = u->interactions;
    if (n <= 0)
        return 0;
    double mu = plan_outcome_mean(p), var = plan_outcome_var(p);
    double attempts = n / mu;
    if (var > 0)
        attempts += gsl_ran_gaussian(r, sqrt(n * var / (mu * mu * mu)));
    attempts = fmax(0, nearbyint(attempts));
    double resolved = ts_ran_binomial(r, 1 - p->failure_rate, attempts);
    return p->price + p->per_outcome * resolved;
}

static int check(plan *p, const plan_checker *ck)
{
    if (p->outcome_max < p->outcome_min || p->outcome_min != floor(p->outcome_min)
        || p->outcome_max != floor(p->outcome_max))
        return ck->fail_at(ck, &p->outcome_max, NULL,
                        "invalid value for 'plans.%s.outcome_max': found %g, expected a whole number of interactions "
                        "at least outcome_min (%g)", p->name, p->outcome_max, p->outcome_min);
    return TS_OK;
}

static void describe(const plan *p, char *buf, size_t n)
{
    char a[32], b[32];
    if (p->price > 0)
        snprintf(buf, n, "%s a month + %s per resolved outcome", plan_money(a, sizeof a, p->price),
                 plan_money(b, sizeof b, p->per_outcome));
    else
        snprintf(buf, n, "%s per resolved outcome", plan_money(b, sizeof b, p->per_outcome));
}

static void terms(const plan *p, char *buf, size_t n)
{
    snprintf(buf, n, "$%.4g per outcome", p->per_outcome);
}

static const char *price_key(const plan *p)
{
    (void)p;
    return "per_outcome";
}

static const char *const needs[] = { "per_outcome", "outcome_min", "outcome_max", NULL };
static const char *const takes[] = { "price", "failure_rate", PLAN_QUOTA_KEYS, NULL };

const plan_type plan_type_outcome = {
    .name = "outcome",
    .summary = "a price per resolved outcome (a ticket, a document), whatever it took",
    .needs = needs,
    .takes = takes,
    .check = check,
    .bill = bill,
    .describe = describe,
    .terms = terms,
    .price_key = price_key,
};
