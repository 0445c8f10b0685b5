/* test_plan_extra.c: a plan type defined here, outside the program (the
 * `seat_bundle` of docs/extending.md), registered the way a library user
 * would, then loaded from YAML through the real loader, simulated beside a
 * flat plan, described, reported and plotted.
 *
 * The scenario is deterministic (constant intensity 400 with fixed counts,
 * no churn, no arrivals, one seat per customer), so its figures are worked
 * by hand: 10 customers x 3 months, an interaction costs 1,000 output
 * tokens at $10 per million = $0.01. */
#include "testutil.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "models/plan.h"
#include "plots/plots.h"
#include "sim/engine/engine.h"
#include "sim/engine/stats.h"
#include "sim/output/document.h"
#include "sim/scenario/scenario.h"

/* ---- the type, as docs/extending.md writes it -------------------------- */

typedef struct seat_bundle {
    double bundle_price;     /* $ per bundle and month */
    int bundle_seats;        /* seats in a bundle */
    double fair_use;         /* interactions a seat may make in a month; 0: no limit */
} seat_bundle;
_Static_assert(sizeof(seat_bundle) <= PLAN_PARAMS_SIZE, "seat_bundle's keys must fit plan.params");

static const seat_bundle *bundle_of(const plan *p)
{
    return (const void *)p->params;
}

static double bundle_fee(const plan *p, const plan_usage *u)
{
    double seats = u->seats > 0 ? u->seats : 1;
    return ceil(seats / bundle_of(p)->bundle_seats) * bundle_of(p)->bundle_price;
}

static double bundle_bill(const plan *p, const plan_usage *u, const gsl_rng *r)
{
    (void)r;
    const seat_bundle *b = bundle_of(p);
    double seats = u->seats > 0 ? u->seats : 1;
    double extra = b->fair_use > 0 ? u->interactions - b->fair_use * seats : 0;
    return bundle_fee(p, u) + (extra > 0 ? extra * p->overage : 0);
}

static int bundle_check(plan *p, const plan_checker *ck)
{
    if (ck->given(ck, &p->overage) && bundle_of(p)->fair_use <= 0)
        return ck->fail_at(ck, &p->overage, NULL, "plan '%s' sets overage without fair_use: nothing is over no limit",
                        p->name);
    return TS_OK;
}

static void bundle_describe(const plan *p, char *buf, size_t n)
{
    const seat_bundle *b = bundle_of(p);
    char a[32], o[32];
    size_t len = (size_t)snprintf(buf, n, "%s a month per %d seat%s", plan_money(a, sizeof a, b->bundle_price),
                                  b->bundle_seats, b->bundle_seats == 1 ? "" : "s");
    if (b->fair_use > 0 && len < n)
        snprintf(buf + len, n - len, ", %.10g interactions a seat, then %s each", b->fair_use,
                 plan_money(o, sizeof o, p->overage));
}

static const char *bundle_price_key(const plan *p)
{
    (void)p;
    return "bundle_price";
}

static const char *const bundle_takes[] = { "overage", NULL };
static const plan_param bundle_keys[] = {
    { .name = "bundle_price", .kind = PLAN_PARAM_NUMBER, .offset = offsetof(seat_bundle, bundle_price), .min = 0,
      .max = INFINITY, .required = true, .unit = "$ per bundle-month", .help = "seat_bundle: the price of a bundle" },
    { .name = "bundle_seats", .kind = PLAN_PARAM_WHOLE, .offset = offsetof(seat_bundle, bundle_seats), .min = 1,
      .max = 10000, .unit = "seats", .def = "5", .help = "seat_bundle: seats in a bundle" },
    { .name = "fair_use", .kind = PLAN_PARAM_NUMBER, .offset = offsetof(seat_bundle, fair_use), .min = 0,
      .max = INFINITY, .unit = "interactions per seat-month", .def = "0",
      .help = "seat_bundle: interactions a seat may make in a month before overage (0: no limit)" },
    { 0 },
};

static const plan_type plan_type_seat_bundle = {
    .name = "seat_bundle",
    .summary = "seats sold in bundles, with a fair-use allowance per seat",
    .takes = bundle_takes,
    .params = bundle_keys,
    .check = bundle_check,
    .bill = bundle_bill,
    .fixed_fee = bundle_fee,
    .describe = bundle_describe,
    .price_key = bundle_price_key,
};

/* ---- the scenario -------------------------------------------------------- */

static const char *const head =
    "name: bundles by hand\n"
    "horizon_months: 3\n"
    "replications: 2\n"
    "prices:\n"
    "  models:\n"
    "    - { name: m, input_per_mtok: 1, output_per_mtok: 10 }\n"
    "customers: { initial: 10 }\n"
    "usage: { distribution: constant, value: 400, counts: fixed }\n"
    "features:\n"
    "  - { name: chat, model: m, tokens: { output: 1000 } }\n"
    "plans:\n";
static const char *const plans =
    "  - { name: flat, type: flat, price: 50 }\n"
    "  - { name: bundle, type: seat_bundle, bundle_price: 99, fair_use: 300, overage: 0.02 }\n";

static scenario s;
static int kind = -1;

static int setup(void **state)
{
    (void)state;
    ts_error e;
    ts_error_clear(&e);
    if (plan_type_find("seat_bundle") < 0 && plan_type_register(&plan_type_seat_bundle, &kind, &e) != TS_OK) {
        print_error("%s\n", e.message);
        return -1;
    }
    return 0;
}

static int load(const char *plan_lines, ts_error *e)
{
    char text[2048];
    snprintf(text, sizeof text, "%s%s", head, plan_lines);
    ts_error_clear(e);
    return scenario_load_string(&s, text, "bundle.yaml", NULL, 0, e);
}

static void expect_error(const char *plan_lines, const char *want)
{
    ts_error e;
    assert_int_equal(load(plan_lines, &e), TS_ERR_INPUT);
    char msg[1200];
    ts_error_format(&e, msg, sizeof msg);
    assert_string_equal(msg, want);
}

/* ---- the tests ----------------------------------------------------------- */

static void test_registry(void **state)
{
    (void)state;
    assert_int_equal(kind, plan_type_builtin_count());
    assert_int_equal(plan_type_count(), plan_type_builtin_count() + 1);
    assert_int_equal(plan_type_find("seat_bundle"), kind);
    assert_string_equal(plan_type_names()[kind], "seat_bundle");
    assert_null(plan_type_names()[kind + 1]);
    ts_error e;
    ts_error_clear(&e);
    assert_int_equal(plan_type_register(&plan_type_seat_bundle, NULL, &e), TS_ERR_INPUT);
    assert_string_equal(e.message, "duplicate plan type 'seat_bundle'");
    plan_type clash = plan_type_seat_bundle;
    clash.name = "other_bundle";
    ts_error_clear(&e);
    assert_int_equal(plan_type_register(&clash, NULL, &e), TS_ERR_INPUT);
    assert_string_equal(e.message, "plan type 'other_bundle' declares key 'bundle_price', which plan type "
                                   "'seat_bundle' already declares");
    plan_type bare = { .name = "bare", .bill = bundle_bill };
    ts_error_clear(&e);
    assert_int_equal(plan_type_register(&bare, NULL, &e), TS_ERR_INPUT);
    assert_int_equal(plan_type_count(), plan_type_builtin_count() + 1);
}

/* bundles = ceil(seats / 5) at $99, beyond 300 a seat $0.02 each */
static void test_bill_by_hand(void **state)
{
    (void)state;
    ts_error e;
    assert_int_equal(load(plans, &e), TS_OK);
    const plan *b = &s.plans[1];
    assert_int_equal(b->kind, kind);
    assert_int_equal(bundle_of(b)->bundle_seats, 5);          /* the default */
    plan_usage one = { .interactions = 400, .active_fraction = 1, .seats = 1 };
    assert_close(plan_bill(b, &one, NULL), 101, 1e-12);        /* 99 + 100 x 0.02 */
    plan_usage seven = { .interactions = 2500, .active_fraction = 1, .seats = 7 };
    assert_close(plan_bill(b, &seven, NULL), 206, 1e-12);      /* 2 x 99 + (2500 - 2100) x 0.02 */
    plan_usage light = { .interactions = 100, .active_fraction = 1, .seats = 6 };
    assert_close(plan_bill(b, &light, NULL), 198, 1e-12);      /* within fair use: the bundles only */
    assert_string_equal(plan_price_key(b), "bundle_price");
}

static void test_loader(void **state)
{
    (void)state;
    expect_error("  - { name: b, type: seat_bundle, fair_use: 300 }\n",
                 "bundle.yaml:12:22: missing key 'plans.b.bundle_price': a seat_bundle plan needs it");
    expect_error("  - { name: f, type: flat, price: 20, fair_use: 300 }\n",
                 "bundle.yaml:12:49: key 'plans.f.fair_use' does not apply to a flat plan");
    expect_error("  - { name: b, type: seat_bundle, bundle_price: 99, bundle_seat: 4 }\n",
                 "bundle.yaml:12:53: unknown key 'plans.b.bundle_seat' (did you mean 'plans.b.bundle_seats'?)");
    expect_error("  - { name: b, type: seat_bundle, bundle_price: 99, bundle_seats: 2.5 }\n",
                 "bundle.yaml:12:67: invalid value for 'plans.b.bundle_seats': found '2.5', expected a whole number "
                 "in [1, 10000]");
    expect_error("  - { name: b, type: seat_bundle, bundle_price: 99, overage: 0.1 }\n",
                 "bundle.yaml:12:62: plan 'b' sets overage without fair_use: nothing is over no limit");
    /* the type's keys are written back for its plans only, after the common ones */
    ts_error e;
    assert_int_equal(load(plans, &e), TS_OK);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    scenario_write(f, &s);
    fclose(f);
    const char *flat = strstr(buf, "name: \"flat\""), *bundle = strstr(buf, "name: \"bundle\"");
    assert_non_null(flat);
    assert_non_null(bundle);
    const char *first = strstr(buf, "bundle_price: 99");
    assert_true(flat < bundle && first > bundle);
    assert_null(strstr(first + 1, "bundle_price"));            /* not for the flat plan */
    assert_non_null(strstr(bundle, "    bundle_price: 99\n    bundle_seats: 5\n    fair_use: 300\n"));
    free(buf);
}

/* 10 customers x 3 months: flat 50 each, the bundle 99 + 100 x 0.02 = 101;
 * inference 400 x $0.01 = $4 a customer-month under both. */
/* `tokensim keys`: the type among the choices, with its summary, and its keys */
static void test_key_reference(void **state)
{
    (void)state;
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    scenario_write_reference(f);
    fclose(f);
    assert_non_null(strstr(buf, "| `plans[].type` | choice | - | flat | one of: flat, tiered, usage, hybrid, outcome, "
                                "credits, seat_bundle | flat, tiered (subscription tiers with quotas), usage (metered), "
                                "hybrid (base fee + overage), outcome or credits (prepaid packs); seat_bundle: seats "
                                "sold in bundles, with a fair-use allowance per seat |\n"));
    assert_non_null(strstr(buf, "| `plans[].bundle_seats` | integer | seats | 5 | a whole number in [1, 10000] | "
                                "seat_bundle: seats in a bundle |\n"));
    assert_non_null(strstr(buf, "| `plans[].fair_use` | number | interactions per seat-month | 0 | a number >= 0 |"));
    free(buf);
}

static void test_simulated_beside_flat(void **state)
{
    (void)state;
    ts_error e;
    assert_int_equal(load(plans, &e), TS_OK);
    engine_opts o = { 1, 0, s.replications, NULL, NULL, NULL };
    run_result r;
    assert_int_equal(engine_run(&s, &o, &r, &e), TS_OK);
    summary sm;
    assert_int_equal(summary_build(&r, &sm, &e), TS_OK);
    assert_close(sum_total(&sm, 0, TOT_REVENUE)->mean, 1500, 1e-12);
    assert_close(sum_total(&sm, 1, TOT_REVENUE)->mean, 3030, 1e-12);
    assert_close(sum_total(&sm, 1, TOT_INFERENCE_COST)->mean, 120, 1e-9);
    assert_close(sum_total(&sm, 1, TOT_MARGIN)->mean, 100 * 2910.0 / 3030, 1e-9);

    /* the report's key figures and the plot titles describe the bundle */
    char dir[] = "/tmp/ts_plan_extra_XXXXXX";
    assert_non_null(mkdtemp(dir));
    provenance pv = { "test", "bundle.yaml", s.hash, s.seed, r.nreps, 0, false, 0, 0, NULL, false, NULL };
    assert_int_equal(document_write(dir, &s, &sm, NULL, &pv, false, &e), TS_OK);
    plot_opts po = { dir, false, 0, NULL, false };
    plot_report rep = { 0 };
    assert_int_equal(plots_write(&s, &r, &sm, &pv, &po, &rep, &e), TS_OK);
    char path[256], line[1024];
    snprintf(path, sizeof path, "%s/report.md", dir);
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    int rows = 0;
    while (fgets(line, sizeof line, f)) {
        rows += !strcmp(line, "| flat | $50.00 flat | 92.0% | 92.0% to 92.0% | 92.0% to 92.0% | 0.0% | 0.0% |\n");
        rows += !strcmp(line, "| bundle | $99.00 a month per 5 seats, 300 interactions a seat, then $0.02 each "
                              "| 96.0% | 96.0% to 96.0% | 96.0% to 96.0% | 0.0% | 0.0% |\n");
        /* revenue, inference, other (none), gross profit: the asserted totals above, in
         * whole dollars with thousands separators (one format for the column) */
        static const char money_row[] = "| bundle | $3,030 | $120 | $0 | $2,910 |";
        rows += !strncmp(line, money_row, strlen(money_row));
    }
    fclose(f);
    assert_int_equal(rows, 3);
    snprintf(path, sizeof path, "%s/plots/margin_bundle.gp", dir);
    f = fopen(path, "r");
    assert_non_null(f);
    bool titled = false;
    while (fgets(line, sizeof line, f))
        titled |= strstr(line, "plan bundle ($99.00 a month per 5 seats, 300 interactions a seat, then $0.02 each)")
                  != NULL;
    fclose(f);
    assert_true(titled);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
    summary_free(&sm);
    run_result_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_registry),
        cmocka_unit_test(test_bill_by_hand),
        cmocka_unit_test(test_loader),
        cmocka_unit_test(test_key_reference),
        cmocka_unit_test(test_simulated_beside_flat),
    };
    return cmocka_run_group_tests_name("plan_extra", tests, setup, NULL);
}
