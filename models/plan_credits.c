/* plan_credits.c: prepaid credits. A customer buys packs of `pack_credits`
 * credits at `pack_price`: `min_packs` every month, and more automatically
 * as its credits run out (an automatic top-up). Each interaction burns
 * credits at the rate of the model that served it. Credits left at the
 * month's end expire: that breakage is revenue with no cost behind it.
 *
 *   packs = max(min_packs, ceil(burned / pack_credits))
 *   bill  = price + packs x pack_price
 *   expired credits = packs x pack_credits - burned
 * With `rollover`, unused credits stay in a wallet for that many months
 * (wallet.c) and the engine passes the packs the wallet bought. */
#include <math.h>
#include <stdio.h>

#include "plan.h"
#include "wallet.h"

double plan_credits_rate(const plan *p, int model_index)
{
    for (int i = 0; i < p->nrates; i++)
        if (p->rates[i].model_index == model_index)
            return p->rates[i].credits;
    return p->credits_per_interaction;
}

double plan_credits_packs(const plan *p, double credits)
{
    return fmax(p->min_packs, ceil(credits / p->pack_credits - 1e-9));
}

static double bill(const plan *p, const plan_usage *u, const gsl_rng *r)
{
    (void)r;
    double packs = u->packs >= 0 && p->rollover > 0 ? u->packs : plan_credits_packs(p, u->credits);
    return p->price + packs * p->pack_price;
}

static unsigned keeps(const plan *p)
{
    return PLAN_KEEPS_CREDITS | (p->rollover > 0 ? PLAN_KEEPS_WALLET : 0);
}

/* without a wallet, what the month's packs held beyond the burn expires */
static double breakage(const plan *p, double burned, double expired)
{
    return (expired >= 0 ? expired : plan_credits_packs(p, burned) * p->pack_credits - burned) * p->pack_price
           / p->pack_credits;
}

/* every model a rate names must be in the price table */
static int check(plan *p, const plan_checker *ck)
{
    for (int i = 0; i < p->nrates; i++) {
        char path[160];
        snprintf(path, sizeof path, "plans.%s.model_credits.%d.model", p->name, i);
        int rc = ck->model(ck, p->rates[i].model, p->rates[i].model, path, &p->rates[i].model_index);
        if (rc)
            return rc;
    }
    return TS_OK;
}

static void describe(const plan *p, char *buf, size_t n)
{
    char a[32], b[32];
    size_t len = 0;
    if (p->price > 0)
        len = (size_t)snprintf(buf, n, "%s a month + ", plan_money(a, sizeof a, p->price));
    if (len < n)
        snprintf(buf + len, n - len, "credits: %s for %.10g", plan_money(b, sizeof b, p->pack_price), p->pack_credits);
}

static void terms(const plan *p, char *buf, size_t n)
{
    snprintf(buf, n, "$%.2f per %g credits", p->pack_price, p->pack_credits);
}

static const char *price_key(const plan *p)
{
    (void)p;
    return "pack_price";
}

static const char *const needs[] = { "pack_price", NULL };
static const char *const takes[] = { "price", "pack_credits", "min_packs", "credits_per_interaction", "model_credits",
                                     "rollover", "drawdown", NULL };

const plan_type plan_type_credits = {
    .name = "credits",
    .summary = "prepaid packs of credits, burned per interaction at each model's rate",
    .needs = needs,
    .takes = takes,
    .check = check,
    .bill = bill,
    .keeps = keeps,
    .credit_rate = plan_credits_rate,
    .wallet = wallet_month,
    .breakage = breakage,
    .describe = describe,
    .terms = terms,
    .price_key = price_key,
};
