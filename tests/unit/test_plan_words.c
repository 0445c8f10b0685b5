/* test_plan_words.c: what each built-in plan type says about itself: its
 * terms as a pricing page gives them (every expected string written by
 * hand from the plan's values), its compact terms for compare's column
 * (the words compare has always printed), its headline price and budget
 * keys; the registry's names; and the report and plot titles of the
 * shipped scenarios, which used to call every plan "$<price> flat". */
#include "testutil.h"

#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "models/plan.h"
#include "plots/plots.h"
#include "sim/analysis/compare.h"
#include "sim/engine/engine.h"
#include "sim/engine/stats.h"
#include "sim/output/document.h"
#include "sim/scenario/scenario.h"

static plan make(const char *type)
{
    plan p;
    memset(&p, 0, sizeof p);
    p.kind = plan_type_find(type);
    assert_true(p.kind >= 0);
    return p;
}

static void expect_words(const plan *p, const char *page, const char *terms)
{
    char buf[256];
    plan_describe(p, buf, sizeof buf);
    assert_string_equal(buf, page);
    if (terms) {
        compare_terms(p, buf, sizeof buf);
        assert_string_equal(buf, terms);
    }
}

static void test_registry_names(void **state)
{
    (void)state;
    static const char *const builtin[] = { "flat", "tiered", "usage", "hybrid", "outcome", "credits" };
    assert_int_equal(plan_type_builtin_count(), 6);
    for (int k = 0; k < 6; k++) {
        assert_string_equal(plan_type_names()[k], builtin[k]);
        assert_string_equal(plan_type_at(k)->name, builtin[k]);
        assert_int_equal(plan_type_find(builtin[k]), k);
        assert_non_null(plan_type_at(k)->summary);
    }
    assert_null(plan_type_names()[plan_type_count()]);
    assert_int_equal(plan_type_find("flatt"), -1);
}

static void test_money(void **state)
{
    (void)state;
    char b[32];
    assert_string_equal(plan_money(b, sizeof b, 20), "$20.00");
    assert_string_equal(plan_money(b, sizeof b, 0.05), "$0.05");
    assert_string_equal(plan_money(b, sizeof b, 0.002), "$0.002");
    assert_string_equal(plan_money(b, sizeof b, 0.0025), "$0.0025");
    assert_string_equal(plan_money(b, sizeof b, 0.1234567), "$0.1235");
    assert_string_equal(plan_money(b, sizeof b, 1234.5), "$1234.50");
}

static void test_flat_hybrid_words(void **state)
{
    (void)state;
    plan f = make("flat");
    f.price = 20;
    expect_words(&f, "$20.00 flat", "$20.00 flat");
    f.per_seat = 5;
    f.minimum = 10;
    f.maximum = 200;
    expect_words(&f, "$20.00 flat + $5.00 per seat, at least $10.00 a month, at most $200.00 a month",
                 "$20.00 flat, min, cap");
    plan h = make("hybrid");
    h.price = 20;
    h.included = 200;
    h.overage = 0.05;
    expect_words(&h, "$20.00 a month + $0.05 per interaction over 200", "$20.00 incl. 200, $0.05 after");
}

static void test_tiered_words(void **state)
{
    (void)state;
    plan t = make("tiered");
    t.nsubs = 3;
    t.subs[0] = (sub_tier){ "free", 0, 50 };
    t.subs[1] = (sub_tier){ "pro", 20, 500 };
    t.subs[2] = (sub_tier){ "enterprise", 150, 5000 };
    expect_words(&t, "free $0.00 for 50, pro $20.00 for 500, enterprise $150.00 for 5000 interactions a month",
                 "free $0/50,pro $20/500,enterprise $150/5000");
    t.overage = 0.04;
    expect_words(&t, "free $0.00 for 50, pro $20.00 for 500, enterprise $150.00 for 5000 interactions a month, "
                     "then $0.04 each", NULL);
}

static void test_usage_words(void **state)
{
    (void)state;
    plan u = make("usage");
    u.unit_price = 0.05;
    expect_words(&u, "$0.05 per interaction", "$0.05 per interaction");
    u.price = 10;
    expect_words(&u, "$10.00 a month + $0.05 per interaction", "$0.05 per interaction + fee");
    plan k = make("usage");
    k.unit = UNIT_KTOKENS;
    k.unit_price = 0.002;
    expect_words(&k, "$0.002 per 1k tokens", "$0.002 per 1k tokens");
    k.package = 100;
    expect_words(&k, "$0.002 per 100k tokens", "$0.002 per package");
    plan p = make("usage");
    p.package = 100;
    p.unit_price = 3;
    expect_words(&p, "$3.00 per 100 interactions", "$3 per package");
    p.rounding = ROUND_DOWN;
    expect_words(&p, "$3.00 per 100 interactions (whole packages)", NULL);
    p.rounding = ROUND_NEAREST;
    expect_words(&p, "$3.00 per 100 interactions (nearest package)", NULL);
    plan g = make("usage");
    g.ntiers = 3;
    g.tiers[0] = (price_tier){ 100, 0.10, 0 };
    g.tiers[1] = (price_tier){ 1000, 0.05, 2 };
    g.tiers[2] = (price_tier){ 0, 0.02, 0 };
    expect_words(&g, "$0.10 per interaction up to 100, $0.05 up to 1000 (+ $2.00), then $0.02",
                 "3 graduated tiers per interaction");
    g.tiering = TIERING_VOLUME;
    expect_words(&g, "$0.10 per interaction up to 100, $0.05 up to 1000 (+ $2.00), then $0.02, all units at the "
                     "tier reached", "3 volume tiers per interaction");
    plan c = make("usage");
    c.unit = UNIT_COST;
    c.markup = 0.3;
    expect_words(&c, "inference cost + 30%", "cost + 30%");
}

static void test_outcome_credits_words(void **state)
{
    (void)state;
    plan o = make("outcome");
    o.per_outcome = 0.49;
    expect_words(&o, "$0.49 per resolved outcome", "$0.49 per outcome");
    o.price = 5;
    expect_words(&o, "$5.00 a month + $0.49 per resolved outcome", NULL);
    plan c = make("credits");
    c.pack_price = 10;
    c.pack_credits = 500;
    expect_words(&c, "credits: $10.00 for 500", "$10.00 per 500 credits");
    c.price = 5;
    expect_words(&c, "$5.00 a month + credits: $10.00 for 500", NULL);
}

/* The keys solve, tornado and stress vary, and the budget quota sizes. */
static void test_price_and_budget_keys(void **state)
{
    (void)state;
    static const struct { const char *type, *price, *budget; } want[] = {
        { "flat", "price", "quota" }, { "tiered", NULL, NULL }, { "usage", "unit_price", NULL },
        { "hybrid", "price", "included" }, { "outcome", "per_outcome", NULL }, { "credits", "pack_price", NULL },
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        plan p = make(want[i].type);
        const char *key = plan_price_key(&p), *budget = plan_type_of(&p)->budget_key;
        if (want[i].price)
            assert_string_equal(key, want[i].price);
        else
            assert_null(key);
        if (want[i].budget)
            assert_string_equal(budget, want[i].budget);
        else
            assert_null(budget);
    }
    plan g = make("usage");
    g.ntiers = 2;                                    /* tiers set several prices: none to solve for */
    assert_null(plan_price_key(&g));
}

static bool file_has(const char *path, const char *needle)
{
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    char line[2048];
    bool found = false;
    while (!found && fgets(line, sizeof line, f))
        found = strstr(line, needle) != NULL;
    fclose(f);
    return found;
}

/* One shipped scenario, two replications: its report's key figures and
 * its plot titles give each plan's terms, never "$<price> <type>" or
 * "($<price> flat)" for a plan that is not flat. */
static void check_shipped(const char *file)
{
    static scenario s;
    ts_error e;
    ts_error_clear(&e);
    const char *sets[] = { "replications=2" };
    if (scenario_load(&s, file, sets, 1, &e))
        print_error("%s: %s\n", file, e.message);
    assert_int_equal(e.code, TS_OK);
    engine_opts o = { 1, 0, 2, NULL, NULL, NULL };
    run_result r;
    assert_int_equal(engine_run(&s, &o, &r, &e), TS_OK);
    summary sm;
    assert_int_equal(summary_build(&r, &sm, &e), TS_OK);
    char dir[] = "/tmp/ts_plan_words_XXXXXX";
    assert_non_null(mkdtemp(dir));
    provenance pv = { "test", file, s.hash, s.seed, r.nreps, 0, false, 0, 0, NULL, false, NULL };
    assert_int_equal(document_write(dir, &s, &sm, NULL, &pv, false, &e), TS_OK);
    plot_opts po = { dir, false, 0, NULL, false };
    plot_report rep = { 0 };
    assert_int_equal(plots_write(&s, &r, &sm, &pv, &po, &rep, &e), TS_OK);
    char md[256], gp[320], want[512], old[256];
    snprintf(md, sizeof md, "%s/report.md", dir);
    for (int p = 0; p < s.nplans; p++) {
        const plan *pl = &s.plans[p];
        char terms[256];
        plan_describe(pl, terms, sizeof terms);
        snprintf(want, sizeof want, "| %s | %s | ", pl->name, terms);
        if (!file_has(md, want))
            print_error("%s: no row '%s' in the key figures\n", file, want);
        assert_true(file_has(md, want));
        /* a name that needs escaping (tests/data/ok/quoting.yaml) gets another
         * file name and an escaped title: tests/e2e/quoting.sh covers it */
        bool plain = strspn(pl->name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-")
                     == strlen(pl->name);
        snprintf(gp, sizeof gp, "%s/plots/margin_%s.gp", dir, pl->name);
        snprintf(want, sizeof want, "plan %s (%s): ", pl->name, terms);
        if (plain)
            assert_true(file_has(gp, want));
        if (!strcmp(plan_kind_name(pl->kind), "flat"))
            continue;
        snprintf(old, sizeof old, "| %s | $%.2f %s |", pl->name, pl->price, plan_kind_name(pl->kind));
        assert_false(file_has(md, old));
        snprintf(old, sizeof old, "plan %s ($%.2f flat)", pl->name, pl->price);
        if (plain)
            assert_false(file_has(gp, old));
        assert_false(file_has(md, "$0.00 usage") || file_has(md, "$0.00 tiered") || file_has(md, "$0.00 outcome")
                     || file_has(md, "$0.00 credits"));
    }
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
    summary_free(&sm);
    run_result_free(&r);
}

static void test_shipped_reports(void **state)
{
    (void)state;
    glob_t g;
    assert_int_equal(glob("tests/data/ok/*.yaml", 0, NULL, &g), 0);
    assert_true(g.gl_pathc >= 10);
    for (size_t i = 0; i < g.gl_pathc; i++)
        check_shipped(g.gl_pathv[i]);
    globfree(&g);
    check_shipped("scenarios/textbook/pricing_models.yaml");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_registry_names),
        cmocka_unit_test(test_money),
        cmocka_unit_test(test_flat_hybrid_words),
        cmocka_unit_test(test_tiered_words),
        cmocka_unit_test(test_usage_words),
        cmocka_unit_test(test_outcome_credits_words),
        cmocka_unit_test(test_price_and_budget_keys),
        cmocka_unit_test(test_shipped_reports),
    };
    return cmocka_run_group_tests_name("plan_words", tests, NULL, NULL);
}
