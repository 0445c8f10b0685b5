/* test_cost.c: cost per interaction against the textbook's hand arithmetic. */
#include "testutil.h"

#include <string.h>

#include "models/cost.h"

static price_table prices(void)
{
    price_table pt;
    memset(&pt, 0, sizeof pt);
    pt.nmodels = 2;
    snprintf(pt.models[0].name, COST_NAME_LEN, "sonnet");
    pt.models[0] = (model_price){ .name = "sonnet", .input = 3, .cached_input = 0.3, .cache_write = -1, .output = 15 };
    pt.models[1] = (model_price){ .name = "opus", .input = 15, .cached_input = 1.5, .cache_write = -1, .output = 75 };
    pt.embedding = 0.10;
    pt.vector_search = 0.0001;
    return pt;
}

static feature one(const char *model)
{
    feature f;
    memset(&f, 0, sizeof f);
    snprintf(f.name, sizeof f.name, "f");
    snprintf(f.model, sizeof f.model, "%s", model);
    f.share = 1;
    f.calls = 1;
    return f;
}

/* 2,100 input x $3/M = 0.0063; 400 output x $15/M = 0.0060; total 0.0123. */
static void test_support_chat_interaction(void **state)
{
    (void)state;
    price_table pt = prices();
    feature f = one("sonnet");
    f.tokens = (feature_tokens){ 500, 1500, 100, 0, 400 };
    int bad;
    assert_true(cost_feature_resolve(&f, &pt, &bad));
    interaction_cost c = cost_interaction(&f, 0, &pt);
    assert_close(c.input, 0.0063, 1e-12);
    assert_close(c.output, 0.0060, 1e-12);
    assert_close(c.total, 0.0123, 1e-12);
    assert_close(c.tokens, 2500, 1e-12);
}

/* 4,000 x 15/M = 0.06; 800 x 75/M = 0.06; 4,000 x 0.10/M = 0.0004; search
 * 0.0001: total 0.1205 (the chapter rounds to ~$0.12). */
static void test_document_summary_interaction(void **state)
{
    (void)state;
    price_table pt = prices();
    feature f = one("opus");
    f.tokens = (feature_tokens){ 0, 0, 0, 4000, 800 };
    f.embedding_tokens = 4000;
    f.vector_searches = 1;
    int bad;
    assert_true(cost_feature_resolve(&f, &pt, &bad));
    interaction_cost c = cost_interaction(&f, 0, &pt);
    assert_close(c.retrieval, 0.0005, 1e-12);
    assert_close(c.total, 0.1205, 1e-12);
}

/* Cached input: 2,000 tokens, 90% cached on Opus: 200 x 15/M + 1,800 x
 * 1.5/M = 0.003 + 0.0027. Two calls double the model cost, not retrieval. */
static void test_cache_calls_and_routes(void **state)
{
    (void)state;
    price_table pt = prices();
    feature f = one("opus");
    f.tokens = (feature_tokens){ 2000, 0, 0, 0, 0 };
    f.cached_share = 0.9;
    f.calls = 2;
    f.vector_searches = 1;
    int bad;
    assert_true(cost_feature_resolve(&f, &pt, &bad));
    interaction_cost c = cost_interaction(&f, 0, &pt);
    assert_close(c.input, 2 * (0.003 + 0.0027), 1e-12);
    assert_close(c.retrieval, 0.0001, 1e-12);

    /* Routes 80/20 Sonnet/Opus at 9,100 in, 400 out: 0.8 x 0.0333 + 0.2 x 0.1665. */
    feature g = one("");
    g.tokens = (feature_tokens){ 500, 5500, 100, 3000, 400 };
    g.nroutes = 2;
    g.routes[0] = (feature_route){ "sonnet", 0.8, 0 };
    g.routes[1] = (feature_route){ "opus", 0.2, 0 };
    assert_true(cost_feature_resolve(&g, &pt, &bad));
    interaction_cost e = cost_interaction_expected(&g, 1, &pt);
    assert_close(e.total, 0.8 * 0.0333 + 0.2 * 0.1665, 1e-12);

    feature h = one("gpt-9");
    assert_false(cost_feature_resolve(&h, &pt, &bad));
    assert_int_equal(bad, -1);
}

/* Long context as providers bill it: above the threshold every token of the
 * request pays the long rates. 150,000 in and 1,000 out at $3/$15:
 * 0.45 + 0.015 = 0.465; 250,000 in at $6/$22.5: 1.5 + 0.0225 = 1.5225; the
 * cached tenth of a long request at $0.6: 25,000 x 0.6/1e6 = 0.015 plus
 * 225,000 x 6/1e6 = 1.35, with the output: 1.3875. */
static void test_long_context(void **state)
{
    (void)state;
    price_table pt = prices();
    model_price *m = &pt.models[0];
    m->long_above = 200000;
    m->long_input = 6;
    m->long_output = 22.5;
    m->long_cached = 0.6;
    feature f = one("sonnet");
    int bad;
    assert_true(cost_feature_resolve(&f, &pt, &bad));
    f.tokens = (feature_tokens){ 0, 0, 150000, 0, 1000 };
    assert_close(cost_interaction(&f, 0, &pt).total, 0.465, 1e-12);
    f.tokens.user = 250000;
    assert_close(cost_interaction(&f, 0, &pt).total, 1.5225, 1e-12);
    f.cached_share = 0.1;
    assert_close(cost_interaction(&f, 0, &pt).total, 1.3875, 1e-12);
    /* exactly at the threshold the normal rates still apply */
    f.cached_share = 0;
    f.tokens.user = 200000;
    assert_close(cost_interaction(&f, 0, &pt).total, 0.6 + 0.015, 1e-12);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_support_chat_interaction),
        cmocka_unit_test(test_document_summary_interaction),
        cmocka_unit_test(test_cache_calls_and_routes),
        cmocka_unit_test(test_long_context),
    };
    return cmocka_run_group_tests_name("cost", tests, NULL, NULL);
}
