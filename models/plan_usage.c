/* plan_usage.c: usage-based pricing, as billing systems meter it.
 *
 * The units: interactions, thousands of tokens, or the provider's own
 * inference cost (cost plus a markup: bill = cost x (1 + markup)).
 * Packages: units are counted in blocks of `package`, rounded up, down or
 * to the nearest block, and `unit_price` is then the price of a block.
 * Tiers, on the (packaged) units q, with bounds b_0 = 0 < b_1 < ... :
 *   graduated: sum_k price_k x (min(q, b_k) - b_(k-1))^+  + fees of the
 *              tiers reached
 *   volume:    q x price_k + fee_k, with k the tier that q falls in
 * Without tiers: q x unit_price. The base fee `price` is added to all. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "plan.h"

static double packaged(const plan *p, double units)
{
    if (p->package <= 0)
        return units;
    double blocks = units / p->package;
    switch (p->rounding) {
    case ROUND_DOWN: return floor(blocks + 1e-9);
    case ROUND_NEAREST: return floor(blocks + 0.5);
    default: return ceil(blocks - 1e-9);
    }
}

double plan_usage_charge(const plan *p, double units)
{
    double q = packaged(p, units);
    if (p->ntiers == 0)
        return q * p->unit_price;
    if (p->tiering == TIERING_VOLUME) {
        int k = 0;
        while (k < p->ntiers - 1 && q > p->tiers[k].up_to)
            k++;
        return q * p->tiers[k].unit_price + (q > 0 ? p->tiers[k].flat_fee : 0);
    }
    double charge = 0, lower = 0;
    for (int k = 0; k < p->ntiers && q > lower; k++) {
        double upper = (k == p->ntiers - 1 || p->tiers[k].up_to <= 0) ? INFINITY : p->tiers[k].up_to;
        double in_tier = fmin(q, upper) - lower;
        charge += in_tier * p->tiers[k].unit_price + p->tiers[k].flat_fee;
        lower = upper;
    }
    return charge;
}

static double bill(const plan *p, const plan_usage *u, const gsl_rng *r)
{
    (void)r;
    if (p->unit == UNIT_COST)
        return p->price + u->inference_cost * (1 + p->markup);
    double units = p->unit == UNIT_KTOKENS ? u->tokens / 1000 : u->interactions;
    return p->price + plan_usage_charge(p, units);
}

static int check(plan *p, const plan_checker *ck)
{
    if (ck->given(ck, &p->markup) && p->unit != UNIT_COST)
        return ck->fail_at(ck, &p->markup, NULL, "key 'plans.%s.markup' applies only with unit: cost", p->name);
    if (p->unit == UNIT_COST && (p->ntiers || p->package > 0 || ck->given(ck, &p->unit_price)))
        return ck->fail_at(ck, &p->unit, NULL,
                        "plan '%s' bills cost plus markup: unit_price, usage_tiers and package do not apply", p->name);
    if (p->ntiers && ck->given(ck, &p->unit_price))
        return ck->fail_at(ck, &p->unit_price, NULL,
                        "plan '%s' has both 'unit_price' and 'usage_tiers': the tiers set the prices", p->name);
    for (int t = 0; t < p->ntiers - 1; t++)
        if (p->tiers[t].up_to <= (t ? p->tiers[t - 1].up_to : 0))
            return ck->fail_at(ck, &p->tiers[t].up_to, NULL,
                            "usage tiers of plan '%s' are not increasing: tier %d ends at %g; expected bounds above 0 "
                            "that grow (only the last tier may be open, with up_to 0)", p->name, t + 1,
                            p->tiers[t].up_to);
    if (ck->given(ck, &p->rounding) && p->package <= 0)
        return ck->fail_at(ck, &p->rounding, NULL, "key 'plans.%s.rounding' applies only with a package", p->name);
    return TS_OK;
}

/* what the unit and packages make meaningful */
static bool shows(const plan *p, const char *key)
{
    bool cost = p->unit == UNIT_COST;
    if (!strcmp(key, "markup"))
        return cost;
    if (!strcmp(key, "unit_price"))
        return !cost && p->ntiers == 0;
    if (!strcmp(key, "tiering") || !strcmp(key, "usage_tiers") || !strcmp(key, "package"))
        return !cost;
    if (!strcmp(key, "rounding"))
        return p->package > 0;
    return true;
}

static const char *unit_word(const plan *p)
{
    return p->unit == UNIT_KTOKENS ? "1k tokens" : "interaction";
}

/* "$0.10 per interaction up to 100, $0.05 up to 1000 (+ $2.00), then $0.02" */
static size_t describe_tiers(const plan *p, char *buf, size_t n)
{
    size_t len = 0;
    char a[32], b[32];
    for (int k = 0; k < p->ntiers && len < n; k++) {
        bool last = k == p->ntiers - 1 || p->tiers[k].up_to <= 0;
        len += (size_t)snprintf(buf + len, n - len, "%s%s%s%s", k == 0 ? "" : last ? ", then " : ", ",
                                plan_money(a, sizeof a, p->tiers[k].unit_price), k == 0 ? " per " : "",
                                k == 0 ? unit_word(p) : "");
        if (!last && len < n)
            len += (size_t)snprintf(buf + len, n - len, " up to %.10g", p->tiers[k].up_to);
        if (p->tiers[k].flat_fee > 0 && len < n)
            len += (size_t)snprintf(buf + len, n - len, " (+ %s)", plan_money(b, sizeof b, p->tiers[k].flat_fee));
        if (last)
            break;
    }
    if (p->tiering == TIERING_VOLUME && len < n)
        len += (size_t)snprintf(buf + len, n - len, ", all units at the tier reached");
    return len;
}

static void describe(const plan *p, char *buf, size_t n)
{
    size_t len = 0;
    char a[32];
    if (p->price > 0)
        len = (size_t)snprintf(buf, n, "%s a month + ", plan_money(a, sizeof a, p->price));
    if (len >= n)
        return;
    if (p->unit == UNIT_COST)
        snprintf(buf + len, n - len, "inference cost + %g%%", 100 * p->markup);
    else if (p->ntiers)
        describe_tiers(p, buf + len, n - len);
    else if (p->package > 0)
        snprintf(buf + len, n - len, "%s per %.10g%s%s", plan_money(a, sizeof a, p->unit_price), p->package,
                 p->unit == UNIT_KTOKENS ? "k tokens" : " interactions",
                 p->rounding == ROUND_DOWN ? " (whole packages)" : p->rounding == ROUND_NEAREST ? " (nearest package)"
                                                                                                : "");
    else
        snprintf(buf + len, n - len, "%s per %s", plan_money(a, sizeof a, p->unit_price), unit_word(p));
}

static void terms(const plan *p, char *buf, size_t n)
{
    if (p->unit == UNIT_COST)
        snprintf(buf, n, "cost + %g%%", 100 * p->markup);
    else if (p->ntiers)
        snprintf(buf, n, "%d %s tiers per %s", p->ntiers, p->tiering == TIERING_VOLUME ? "volume" : "graduated",
                 unit_word(p));
    else
        snprintf(buf, n, "$%.4g per %s%s", p->unit_price, p->package > 0 ? "package" : unit_word(p),
                 p->price > 0 ? " + fee" : "");
}

/* usage tiers set several prices: no single one to solve for */
static const char *price_key(const plan *p)
{
    return p->ntiers ? NULL : "unit_price";
}

static const char *const takes[] = { "price", "unit", "unit_price", "markup", "tiering", "usage_tiers", "package",
                                     "rounding", PLAN_QUOTA_KEYS, NULL };

const plan_type plan_type_usage = {
    .name = "usage",
    .summary = "metered: a price per interaction, per 1k tokens or on the inference cost",
    .takes = takes,
    .check = check,
    .shows = shows,
    .bill = bill,
    .describe = describe,
    .terms = terms,
    .price_key = price_key,
};
