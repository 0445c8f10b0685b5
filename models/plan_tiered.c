/* plan_tiered.c: a tiered subscription (free / pro / enterprise style), each
 * tier a monthly price and a quota of interactions.
 *
 * A customer's month is billed at the smallest tier whose quota covers its
 * interactions (customers sit on the tier their usage needs), or, with
 * assigned tiers, at the tier the customer holds (chosen at sign-up, moved
 * at each month's end by the upgrade and downgrade rules); beyond the
 * tier's quota, `overage` per interaction (0: the tier's price is all they
 * pay).
 *
 *   bill = price_t,  t = min { t : interactions <= included_t }
 *        = price_T + overage x (interactions - included_T)   above the last */
#include <stdio.h>
#include <string.h>

#include "plan.h"

int plan_tier_of(const plan *p, double n)
{
    for (int t = 0; t < p->nsubs; t++)
        if (n <= p->subs[t].included)
            return t;
    return p->nsubs - 1;
}

static int tier_billed(const plan *p, const plan_usage *u)
{
    return p->assigned && u->tier >= 0 ? u->tier : plan_tier_of(p, u->interactions);
}

static double bill(const plan *p, const plan_usage *u, const gsl_rng *r)
{
    (void)r;
    int t = tier_billed(p, u);
    double extra = u->interactions - p->subs[t].included;
    return p->subs[t].price + (extra > 0 ? extra * p->overage : 0);
}

static double fixed_fee(const plan *p, const plan_usage *u)
{
    return p->subs[tier_billed(p, u)].price;
}

static unsigned keeps(const plan *p)
{
    return p->assigned ? PLAN_KEEPS_TIER : 0;
}

/* a new customer picks the smallest tier covering assign_share of its usage */
static int tier_start(const plan *p, double intensity)
{
    return plan_tier_of(p, p->assign_share * intensity);
}

/* After upgrade_after months in a row over the tier's quota, each month a
 * chance upgrade_prob to move up; after downgrade_after months within the
 * lower tier's quota, downgrade_prob to move down. */
static int tier_move(const plan *p, plan_hold *h, double served, const gsl_rng *r)
{
    h->over = served > p->subs[h->tier].included ? h->over + 1 : 0;
    h->under = h->tier > 0 && served <= p->subs[h->tier - 1].included ? h->under + 1 : 0;
    if (p->upgrade_after > 0 && h->over >= p->upgrade_after && h->tier < p->nsubs - 1
        && gsl_rng_uniform(r) < p->upgrade_prob) {
        h->tier++;
        h->over = 0;
        return 1;
    }
    if (p->downgrade_after > 0 && h->under >= p->downgrade_after && gsl_rng_uniform(r) < p->downgrade_prob) {
        h->tier--;
        h->under = 0;
        return -1;
    }
    return 0;
}

static int check(plan *p, const plan_checker *ck)
{
    if (!p->assigned
        && (ck->given(ck, &p->assign_share) || ck->given(ck, &p->upgrade_after) || ck->given(ck, &p->downgrade_after)
            || ck->given(ck, &p->upgrade_prob) || ck->given(ck, &p->downgrade_prob)))
        return ck->fail_at(ck, &p->kind, p->name, "plan '%s' sets tier moves without 'assigned_tiers: true'", p->name);
    if (p->nsubs == 0)
        return ck->fail_at(ck, p->subs, NULL, "empty list 'plans.%s.tiers': expected at least one tier", p->name);
    for (int t = 1; t < p->nsubs; t++)
        if (p->subs[t].included <= p->subs[t - 1].included || p->subs[t].price < p->subs[t - 1].price)
            return ck->fail_at(ck, &p->subs[t].included, NULL,
                            "tiers of plan '%s' are not increasing: tier '%s' (%g interactions for $%g) follows "
                            "'%s' (%g for $%g); expected larger quotas at prices that do not fall",
                            p->name, p->subs[t].name, p->subs[t].included, p->subs[t].price, p->subs[t - 1].name,
                            p->subs[t - 1].included, p->subs[t - 1].price);
    return TS_OK;
}

/* the tier moves mean something only when customers hold tiers */
static bool shows(const plan *p, const char *key)
{
    if (!strcmp(key, "assign_share") || !strcmp(key, "upgrade_after") || !strcmp(key, "upgrade_prob")
        || !strcmp(key, "downgrade_after") || !strcmp(key, "downgrade_prob"))
        return p->assigned;
    return true;
}

/* "free $0.00 for 50, pro $20.00 for 500 interactions a month, then $0.04 each" */
static void describe(const plan *p, char *buf, size_t n)
{
    size_t len = 0;
    char a[32];
    for (int t = 0; t < p->nsubs && len < n; t++)
        len += (size_t)snprintf(buf + len, n - len, "%s%s %s for %.10g", t ? ", " : "", p->subs[t].name,
                                plan_money(a, sizeof a, p->subs[t].price), p->subs[t].included);
    if (len < n)
        len += (size_t)snprintf(buf + len, n - len, " interactions a month");
    if (p->overage > 0 && len < n)
        snprintf(buf + len, n - len, ", then %s each", plan_money(a, sizeof a, p->overage));
}

static void terms(const plan *p, char *buf, size_t n)
{
    size_t len = 0;
    for (int t = 0; t < p->nsubs && len < n; t++)
        len += (size_t)snprintf(buf + len, n - len, "%s%s $%g/%g", t ? "," : "", p->subs[t].name, p->subs[t].price,
                                p->subs[t].included);
}

static const char *const needs[] = { "tiers", NULL };
static const char *const takes[] = { "overage", "assigned_tiers", "assign_share", "upgrade_after", "upgrade_prob",
                                     "downgrade_after", "downgrade_prob", NULL };

const plan_type plan_type_tiered = {
    .name = "tiered",
    .summary = "subscription tiers, each a monthly price for a quota of interactions",
    .needs = needs,
    .takes = takes,
    .check = check,
    .shows = shows,
    .bill = bill,
    .fixed_fee = fixed_fee,
    .keeps = keeps,
    .tier_start = tier_start,
    .tier_move = tier_move,
    .describe = describe,
    .terms = terms,
};
