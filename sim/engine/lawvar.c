/* lawvar.c: the usage law's cells (mean, variance, antithetic covariance
 * of a customer's intensity) and the engine's record of them, per
 * replication, month and horizon (the definitions are in lawvar.h).
 *
 * A cell is a band (a, b) of the law's probabilities: (0, 1) for a random
 * draw, stratum k of L, (k/L, (k+1)/L), under stratified sampling. Extra
 * power users (a share b drawn from the tail above the power quantile q,
 * whatever the cell) mix in as
 *   E[X^j | cell] = (1 - b) M_j(cell) + b P_j,   P_j = M_j(q, 1)
 * (for segments, P_j the heaviest segment's mean to the j). Under
 * antithetic sampling both members of a pair take the same power draw, and
 * the mirror of cell (a, b) is (1 - b, 1 - a):
 *   E[X X'] = (1 - b) A(cell) + b P_2,   c = E[X X'] - E[X] E[X']. */
#include "lawvar.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "models/usage_moments.h"
#include "engine_internal.h"

/* The power tail's j-th moment P_j. */
static double power_moment(const usage_dist *u, int j)
{
    const usage_law *law = usage_law_of(u);
    if (usage_dist_named_segments(u) && law->power_mean) {
        /* a law of named segments draws its extra power users at its heaviest
         * segment's one intensity (usage_segments.c): no spread among them */
        double m = law->power_mean(u);
        return j == 1 ? m : m * m;
    }
    return usage_dist_band_moment(u, j, u->bounds.from[2], 1);
}

static lawcell cell_of(const usage_dist *u, double a, double b, bool antithetic, double p1, double p2)
{
    double pb = u->power_boost > 0 ? u->power_boost : 0, m[4];
    usage_dist_band(u, a, b, antithetic, m);
    double m1 = (1 - pb) * m[0] + pb * p1, m2 = (1 - pb) * m[1] + pb * p2;
    lawcell c = { (float)m1, (float)fmax(0, m2 - m1 * m1), 0 };
    if (isinf(m2))
        c.v = INFINITY;
    if (antithetic) {
        double mirror1 = (1 - pb) * m[2] + pb * p1, prod = (1 - pb) * m[3] + pb * p2;
        c.c = (float)(prod - m1 * mirror1);
    }
    return c;
}

/* The n strata of a block; cells are independent, so threads share them. */
static lawcell *strata(const usage_dist *u, size_t n, bool antithetic, double p1, double p2)
{
    lawcell *t = malloc(n * sizeof *t);
    if (!t)
        return NULL;
#pragma omp parallel for schedule(static)
    for (size_t k = 0; k < n; k++)
        t[k] = cell_of(u, (double)k / (double)n, k + 1 == n ? 1.0 : (double)(k + 1) / (double)n, antithetic, p1, p2);
    return t;
}

int lawtab_build(lawtab *t, const scenario *s, size_t first_block, size_t arrival_block)
{
    memset(t, 0, sizeof *t);
    bool anti = s->sampling.antithetic;
    const usage_dist *u = &s->usage;
    double p1 = u->power_boost > 0 ? power_moment(u, 1) : 0, p2 = u->power_boost > 0 ? power_moment(u, 2) : 0;
    t->all = cell_of(u, 0, 1, anti, p1, p2);
    if (s->sampling.intensities != SAMPLING_STRATIFIED)
        return 0;
    t->nfirst = first_block;
    t->arrival_block = arrival_block;
    t->first = first_block > 0 ? strata(u, first_block, anti, p1, p2) : NULL;
    t->arrival = strata(u, arrival_block, anti, p1, p2);
    if ((first_block > 0 && !t->first) || !t->arrival) {
        lawtab_free(t);
        return -1;
    }
    return 0;
}

void lawtab_free(lawtab *t)
{
    free(t->first);
    free(t->arrival);
    memset(t, 0, sizeof *t);
}

lawcell lawtab_cell(const lawtab *t, size_t block, uint32_t k)
{
    if (block > 0 && block == t->nfirst && k < t->nfirst)
        return t->first[k];
    if (block > 0 && block == t->arrival_block && k < t->arrival_block)
        return t->arrival[k];
    return t->all;
}

void lawvar_customer_month(const usage_dist *u, customer *c, double *month, double *horizon, bool last)
{
    double a = c->active, k = u->counts == COUNTS_GAMMA_POISSON ? u->dispersion : INFINITY;
    double mu = c->law_mu, v = c->law_v, g2 = a > 0 && k < INFINITY ? a * a * (v + mu * mu) / k : 0;
    if (a > 0) {
        month[LAW_D] += a * c->intensity * c->mult;
        month[LAW_E] += a * mu;
        month[LAW_V] += a * a * v + g2;
        month[LAW_C] += a * a * c->law_c;
        month[LAW_S1] += a;
        month[LAW_S2] += a * a;
        month[LAW_N] += 1;
        horizon[LAW_D] += a * c->intensity * c->mult;
        horizon[LAW_E] += a * mu;
        horizon[LAW_V] += g2;
        c->law_expo += (float)a;
    }
    if (last && c->law_expo > 0) {
        double A = c->law_expo;
        horizon[LAW_V] += A * A * v;
        horizon[LAW_C] += A * A * c->law_c;
        horizon[LAW_S1] += A;
        horizon[LAW_S2] += A * A;
        horizon[LAW_N] += 1;
    }
}
