/* test_exercise.c: the five steps against hand arithmetic and closed forms.
 *
 * Scenario: one feature on "big" ($3/$15 per million), 1,000 input tokens
 * of which 400 system, 200 output, one vector search at $0.001; a cheaper
 * "small" model at $0.25/$1.25. By hand, one interaction costs
 *   1,000 x 3/1e6 + 200 x 15/1e6 + 0.001 = 0.003 + 0.003 + 0.001 = 0.007.
 * Usage by quantiles P25/P50/P90 = 10/40/200; price $20, target 60%,
 * infrastructure $1, payment 3% + $0.30. */
#include "testutil.h"

#include <math.h>
#include <string.h>

#include "sim/analysis/exercise.h"

static const char *const text =
    "name: exercise test\n"
    "prices:\n"
    "  models:\n"
    "    - { name: big, input_per_mtok: 3, cached_input_per_mtok: 0.3, output_per_mtok: 15 }\n"
    "    - { name: small, input_per_mtok: 0.25, cached_input_per_mtok: 0.025, output_per_mtok: 1.25 }\n"
    "  vector_search_per_call: 0.001\n"
    "usage:\n"
    "  distribution: quantiles\n"
    "  quantiles: [ { p: 0.25, value: 10 }, { p: 0.5, value: 40 }, { p: 0.9, value: 200 } ]\n"
    "features:\n"
    "  - { name: f, model: big, tokens: { system: 400, user: 600, output: 200 }, vector_searches: 1 }\n"
    "costs: { infra_per_customer_month: 1, payment_share: 0.03, payment_fixed: 0.30 }\n"
    "plans:\n"
    "  - { name: p, price: 20, target_margin: 0.6 }\n"
    "exercise: { routing_share: 0.5, prompt_cache_share: 1, semantic_hit_rate: 0.2, batch_share: 0.4,\n"
    "            batch_discount: 0.5, output_reduction: 0.25, interactions_per_outcome: 2 }\n";

static scenario s;
static exercise_result x;

static void load(void)
{
    ts_error e;
    ts_error_clear(&e);
    assert_int_equal(scenario_load_string(&s, text, "ex.yaml", NULL, 0, &e), TS_OK);
    assert_int_equal(exercise_compute(&s, 0, &x, &e), TS_OK);
}

static void test_steps_one_to_three_by_hand(void **state)
{
    (void)state;
    load();
    assert_close(x.cpi, 0.007, 1e-12);
    assert_close(x.calls[0].cost_per_call, 0.006, 1e-12);
    assert_close(x.n[0], 10, 1e-12);
    assert_close(x.n[1], 40, 1e-12);
    assert_close(x.n[2], 200, 1e-12);
    assert_close(x.calls[0].calls_per_month, 40, 1e-12);
    /* P90: AI cost 200 x 0.007 = 1.40; other 1 + 0.6 + 0.3 = 1.90; margin (20 - 3.30)/20 = 83.5% */
    assert_close(x.ai[2], 1.40, 1e-12);
    assert_close(x.other[2], 1.90, 1e-12);
    assert_close(x.margin[2], 83.5, 1e-12);
}

static void test_levers_by_hand(void **state)
{
    (void)state;
    load();
    /* routing half to small: model part 0.5 x 0.006 + 0.5 x (1,000 x 0.25 + 200 x 1.25)/1e6 = 0.003 + 0.00025 */
    assert_close(x.levers[EX_ROUTING].cpi, 0.00325 + 0.001, 1e-12);
    /* prompt cache: 400 system tokens at 0.3 instead of 3: saves 400 x 2.7/1e6 = 0.00108 */
    assert_close(x.levers[EX_PROMPT_CACHE].cpi, 0.007 - 0.00108, 1e-12);
    /* semantic hits 20%: model part x 0.8, retrieval stays: 0.0048 + 0.001 */
    assert_close(x.levers[EX_SEMANTIC_CACHE].cpi, 0.0058, 1e-12);
    /* batching 40% at half price: model part x 0.8 */
    assert_close(x.levers[EX_BATCHING].cpi, 0.0058, 1e-12);
    /* output cut 25%: saves 50 x 15/1e6 = 0.00075 */
    assert_close(x.levers[EX_OUTPUT].cpi, 0.007 - 0.00075, 1e-12);
    /* all together: the model part of each model with cache and cut, routed, then x 0.8 x 0.8 */
    double big = (600 * 3 + 400 * 0.3 + 150 * 15) / 1e6, small = (600 * 0.25 + 400 * 0.025 + 150 * 1.25) / 1e6;
    assert_close(x.cpi_opt, (0.5 * big + 0.5 * small) * 0.8 * 0.8 + 0.001, 1e-12);
    assert_close(exercise_cpi(&s, 0, 0, 0, 0, 0, 0), x.cpi, 1e-15);
}

/* Each option is priced to meet the target exactly where its price was set:
 * usage-based at P50, hybrid at any usage above its included units, tiers
 * at a full quota. The flat price breaks even where margin is 0. */
static void test_options_meet_the_target(void **state)
{
    (void)state;
    load();
    assert_close(x.options[OPT_USAGE].margin[1], 60, 1e-9);
    assert_close(x.options[OPT_HYBRID].margin[2], 60, 1e-9);
    assert_close(x.options[OPT_OUTCOME].margin[1], 60, 1e-9);
    /* tier 1 sits at the plan's $20, above its cost floor: the P50 user
     * pays the flat price, so the margins match */
    assert_close(x.options[OPT_TIERED].margin[1], x.options[OPT_FLAT].margin[1], 1e-9);
    double c = x.cpi_opt, n = x.n_break_even;
    assert_close(n * c + (1 + 0.03 * 20 + 0.3), 20, 1e-12);
    /* the flat plan is far above target even at P90 here: tiered is recommended */
    assert_int_equal(x.recommended, OPT_TIERED);
}

/* Tiers: quotas at P50, P90 and 4 x P90 (40, 200, 800: each at least twice
 * the one below already); prices the larger of the cost floor (c q + $1.30)
 * / 0.37 and $20 doubled per tier; each tier's P90 user within its quota
 * and above cost. */
static void test_tiers_ordered_above_cost(void **state)
{
    (void)state;
    load();
    const double q[3] = { 40, 200, 800 };
    for (int t = 0; t < 3; t++) {
        assert_close(x.tier_quota[t], q[t], 1e-12);
        double floor = (x.cpi_opt * q[t] + 1.30) / 0.37;
        assert_close(x.tier_price[t], fmax(floor, 20.0 * (1 << t)), 1e-12);
        assert_true(x.tier_n[t] <= q[t]);
        assert_true(x.tier_n[t] > (t ? q[t - 1] : 0));
        assert_true(x.tier_margin[t] >= 60 - 1e-9);
        if (t)
            assert_true(x.tier_price[t] > x.tier_price[t - 1]);
    }
    assert_true(x.tier_n[0] >= 10);   /* the P45 of all users: above the P25 */
}

/* No price: the exercise sets the lowest whole-cent price at which the P90
 * user meets 60% before the levers: (200 x 0.007 + 1 + 0.30) / 0.37 =
 * 7.2973 -> $7.30, whose margin is (7.30 - 1.40 - 1 - 0.219 - 0.30) / 7.30
 * = 60.01%. */
static void test_missing_price_is_set(void **state)
{
    (void)state;
    ts_error e;
    ts_error_clear(&e);
    const char *sets[] = { "plans.p.price=0" };
    assert_int_equal(scenario_load_string(&s, text, "ex.yaml", sets, 1, &e), TS_OK);
    assert_int_equal(exercise_compute(&s, 0, &x, &e), TS_OK);
    assert_true(x.price_recommended);
    assert_close(x.price, 7.30, 1e-12);
    assert_close(x.margin[2], 100 * (7.30 - 1.40 - 1 - 0.219 - 0.30) / 7.30, 1e-9);
    assert_false(isnan(x.options[OPT_FLAT].margin[0]));
    assert_string_equal(x.route_model->name, "small");
}

static void test_unreachable_target(void **state)
{
    (void)state;
    ts_error e;
    ts_error_clear(&e);
    const char *sets[] = { "plans.p.target_margin=0.98" };
    assert_int_equal(scenario_load_string(&s, text, "ex.yaml", sets, 1, &e), TS_OK);
    assert_int_equal(exercise_compute(&s, 0, &x, &e), TS_ERR_INPUT);
    assert_non_null(strstr(e.message, "leaves nothing for costs"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_steps_one_to_three_by_hand),
        cmocka_unit_test(test_levers_by_hand),
        cmocka_unit_test(test_options_meet_the_target),
        cmocka_unit_test(test_tiers_ordered_above_cost),
        cmocka_unit_test(test_missing_price_is_set),
        cmocka_unit_test(test_unreachable_target),
    };
    return cmocka_run_group_tests_name("exercise", tests, NULL, NULL);
}
