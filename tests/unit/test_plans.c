/* test_plans.c: every plan type's bill on small cases worked by hand, and
 * the outcome-based bill against its closed-form mean (within 4 standard
 * errors, the variance from the renewal approximation the bill uses). */
#include "testutil.h"

#include <string.h>

#include "models/plan.h"
#include "models/wallet.h"
#include "sim/engine/rng.h"

static plan make(const char *type)
{
    plan p;
    memset(&p, 0, sizeof p);
    p.kind = plan_type_find(type);
    assert_true(p.kind >= 0);
    return p;
}

static double bill(const plan *p, double n, double tokens, double cost)
{
    plan_usage u = { .interactions = n, .tokens = tokens, .inference_cost = cost, .active_fraction = 1.0 };
    return plan_bill(p, &u, NULL);
}

static void test_flat_and_hybrid(void **state)
{
    (void)state;
    plan f = make("flat");
    f.price = 20;
    assert_close(bill(&f, 5000, 0, 0), 20, 0);
    plan_usage gone = { .interactions = 10, .inference_cost = 1, .active_fraction = 0.0 };
    assert_close(plan_bill(&f, &gone, NULL), 0, 0);          /* not signed up: nothing */
    /* "$20 includes 200 queries, $0.05 each after" */
    plan h = make("hybrid");
    h.price = 20;
    h.included = 200;
    h.overage = 0.05;
    assert_close(bill(&h, 150, 0, 0), 20, 1e-15);
    assert_close(bill(&h, 300, 0, 0), 25, 1e-15);             /* 20 + 100 x 0.05 */
    h.maximum = 22;
    assert_close(bill(&h, 300, 0, 0), 22, 1e-15);             /* the spending cap */
}

static void test_tiered(void **state)
{
    (void)state;
    plan t = make("tiered");
    t.nsubs = 3;
    t.subs[0] = (sub_tier){ "free", 0, 50 };
    t.subs[1] = (sub_tier){ "pro", 20, 500 };
    t.subs[2] = (sub_tier){ "enterprise", 150, 5000 };
    assert_close(bill(&t, 40, 0, 0), 0, 0);
    assert_close(bill(&t, 50, 0, 0), 0, 0);
    assert_close(bill(&t, 51, 0, 0), 20, 0);
    assert_close(bill(&t, 5000, 0, 0), 150, 0);
    assert_close(bill(&t, 6000, 0, 0), 150, 0);               /* no overage set */
    t.overage = 0.04;
    assert_close(bill(&t, 6000, 0, 0), 190, 1e-15);           /* 150 + 1,000 x 0.04 */
    assert_int_equal(plan_tier_of(&t, 499), 1);
    t.minimum = 5;
    assert_close(bill(&t, 10, 0, 0), 5, 0);                   /* the monthly minimum */
    /* an assigned tier bills the tier held, with overage beyond its quota */
    t.minimum = 0;
    t.assigned = 1;
    plan_usage held = { .interactions = 600, .active_fraction = 1, .tier = 1 };
    assert_close(plan_bill(&t, &held, NULL), 24, 1e-12);      /* 20 + 100 x 0.04 */
}

static void test_usage_units_and_packages(void **state)
{
    (void)state;
    plan u = make("usage");
    u.unit_price = 0.05;
    assert_close(bill(&u, 100, 0, 0), 5, 1e-15);
    u.unit = UNIT_KTOKENS;
    u.unit_price = 0.002;
    assert_close(bill(&u, 1, 12345, 0), 0.02469, 1e-12);      /* 12.345 x 0.002 */
    plan c = make("usage");
    c.unit = UNIT_COST;
    c.markup = 0.5;
    assert_close(bill(&c, 7, 0, 4), 6, 1e-15);                /* 4 x 1.5 */
    plan k = make("usage");
    k.package = 100;
    k.unit_price = 3;                                         /* $3 per block of 100 */
    assert_close(bill(&k, 250, 0, 0), 9, 0);                  /* up: 3 blocks */
    k.rounding = ROUND_DOWN;
    assert_close(bill(&k, 250, 0, 0), 6, 0);
    k.rounding = ROUND_NEAREST;
    assert_close(bill(&k, 249, 0, 0), 6, 0);
    assert_close(bill(&k, 250, 0, 0), 9, 0);
    k.price = 10;                                             /* a platform fee on top */
    assert_close(bill(&k, 250, 0, 0), 19, 0);
}

/* tiers: up to 100 at $0.10, up to 1,000 at $0.05 with a $2 fee, then $0.02 */
static void test_usage_tiers(void **state)
{
    (void)state;
    plan g = make("usage");
    g.ntiers = 3;
    g.tiers[0] = (price_tier){ 100, 0.10, 0 };
    g.tiers[1] = (price_tier){ 1000, 0.05, 2 };
    g.tiers[2] = (price_tier){ 0, 0.02, 0 };
    /* graduated: 100 x 0.10 + 900 x 0.05 + 2 + 500 x 0.02 = 10 + 45 + 2 + 10 */
    assert_close(plan_usage_charge(&g, 1500), 67, 1e-12);
    assert_close(plan_usage_charge(&g, 50), 5, 1e-12);
    assert_close(plan_usage_charge(&g, 0), 0, 0);
    /* volume: every unit at the reached tier's price */
    g.tiering = TIERING_VOLUME;
    assert_close(plan_usage_charge(&g, 1500), 30, 1e-12);     /* 1,500 x 0.02 */
    assert_close(plan_usage_charge(&g, 500), 27, 1e-12);      /* 500 x 0.05 + 2 */
    assert_close(plan_usage_charge(&g, 100), 10, 1e-12);      /* the bound belongs to its tier */
}

/* With K uniform on 2..20 (mu 11, s^2 = (19^2 - 1)/12 = 30), failures f,
 * N interactions: attempts A have mean N/mu and variance N s^2/mu^3;
 * resolved R = Binomial(A, 1-f): E R = (1-f) N/mu,
 * Var R = f(1-f) E A + (1-f)^2 Var A. */
static void test_outcome_mean(void **state)
{
    (void)state;
    plan o = make("outcome");
    o.per_outcome = 0.49;
    o.outcome_min = 2;
    o.outcome_max = 20;
    o.failure_rate = 0.15;
    assert_close(plan_outcome_mean(&o), 11, 0);
    assert_close(plan_outcome_var(&o), 30, 1e-15);
    double N = 1000, f = 0.15, ea = N / 11, va = N * 30 / (11.0 * 11 * 11);
    double er = (1 - f) * ea, vr = f * (1 - f) * ea + (1 - f) * (1 - f) * va;
    int n = test_draws(100000);
    gsl_rng *r = ts_rng_create(41, 0);
    double sum = 0;
    plan_usage u = { .interactions = N, .active_fraction = 1 };
    for (int i = 0; i < n; i++) {
        double b = plan_bill(&o, &u, r);
        assert_true(b >= 0);
        sum += b;
    }
    assert_within_sigma(sum / n, 0.49 * er, 0.49 * sqrt(vr / n), 4);
    gsl_rng_free(r);
}

/* packs = max(min_packs, ceil(burned / pack)); a model's own rate, or the default */
static void test_credits(void **state)
{
    (void)state;
    plan c = make("credits");
    c.pack_credits = 500;
    c.pack_price = 10;
    c.min_packs = 1;
    c.credits_per_interaction = 1;
    c.nrates = 1;
    c.rates[0] = (credit_rate){ "big", 5, 3 };
    assert_close(plan_credits_rate(&c, 3), 5, 0);
    assert_close(plan_credits_rate(&c, 0), 1, 0);
    assert_close(plan_credits_packs(&c, 0), 1, 0);        /* the minimum */
    assert_close(plan_credits_packs(&c, 500), 1, 0);      /* exactly one pack */
    assert_close(plan_credits_packs(&c, 501), 2, 0);      /* a top-up */
    plan_usage u = { .credits = 1200, .active_fraction = 1 };
    assert_close(plan_bill(&c, &u, NULL), 30, 0);         /* 3 packs */
}

/* Seats add per_seat x seats; in arrears the fixed fees are prorated by
 * the share of the month signed up, usage charges are not. */
static void test_seats_and_arrears(void **state)
{
    (void)state;
    plan f = make("flat");
    f.price = 20;
    f.per_seat = 5;
    plan_usage u = { .interactions = 10, .active_fraction = 1, .seats = 3 };
    assert_close(plan_bill(&f, &u, NULL), 35, 1e-15);              /* 20 + 3 x 5 */
    f.billing = BILLING_ARREARS;
    plan_usage quarter = { .interactions = 10, .active_fraction = 0.25, .seats = 3 };
    assert_close(plan_bill(&f, &quarter, NULL), 8.75, 1e-12);      /* 35 / 4 */
    f.billing = BILLING_ADVANCE;
    assert_close(plan_bill(&f, &quarter, NULL), 35, 1e-15);        /* whole month in advance */
    plan h = make("hybrid");
    h.price = 20;
    h.included = 200;
    h.overage = 0.05;
    h.billing = BILLING_ARREARS;
    plan_usage half = { .interactions = 300, .active_fraction = 0.5, .seats = 1 };
    assert_close(plan_bill(&h, &half, NULL), 10 + 5, 1e-12);       /* half the base, all the overage */
}

/* A wallet kept two months after purchase, worked by hand: packs of 500,
 * one bought a month. Burns 200, 200, 900 (a top-up of one pack), 0, 0. */
static void test_wallet_by_hand(void **state)
{
    (void)state;
    plan p = make("credits");
    p.pack_credits = 500;
    p.pack_price = 10;
    p.min_packs = 1;
    p.rollover = 2;
    double lots[WALLET_MAX_LOTS] = { 0 }, ex;
    assert_close(wallet_month(&p, lots, 200, &ex), 1, 0);     /* 300 left of month 0's pack */
    assert_close(ex, 0, 0);
    assert_close(wallet_month(&p, lots, 200, &ex), 1, 0);     /* month 0's lot first: 100 left there */
    assert_close(lots[2], 100, 1e-12);
    assert_close(wallet_month(&p, lots, 1400, &ex), 2, 0);    /* 100 + 500 + 500, then a top-up of 500 */
    assert_close(ex, 0, 1e-12);                               /* month 0's lot was used up */
    assert_close(lots[1], 200, 1e-12);                        /* the top-up's rest */
    assert_close(wallet_month(&p, lots, 0, &ex), 1, 0);
    assert_close(ex, 0, 1e-12);                               /* month 1's lot: used up */
    assert_close(wallet_month(&p, lots, 0, &ex), 1, 0);
    assert_close(ex, 200, 1e-12);                             /* month 2's lot expires with 200 */
    /* newest first: this month's credits go before older ones */
    plan q = p;
    q.drawdown = DRAW_NEWEST;
    double l2[WALLET_MAX_LOTS] = { 0 };
    l2[1] = 300;                                              /* bought last month */
    assert_close(wallet_month(&q, l2, 400, &ex), 1, 0);
    assert_close(l2[2], 300, 1e-12);                          /* last month's lot untouched, now two months old */
    assert_close(l2[1], 100, 1e-12);                          /* this month's pack: 500 - 400 */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_flat_and_hybrid),
        cmocka_unit_test(test_tiered),
        cmocka_unit_test(test_usage_units_and_packages),
        cmocka_unit_test(test_usage_tiers),
        cmocka_unit_test(test_outcome_mean),
        cmocka_unit_test(test_credits),
        cmocka_unit_test(test_seats_and_arrears),
        cmocka_unit_test(test_wallet_by_hand),
    };
    return cmocka_run_group_tests_name("plans", tests, NULL, NULL);
}
