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
 * fewer outcomes. */
#include <gsl/gsl_randist.h>
#include <math.h>

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

double plan_outcome_bill(const plan *p, const plan_usage *u, const gsl_rng *r)
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
