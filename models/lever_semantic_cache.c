/* lever_semantic_cache.c: a semantic cache answers a share of interactions
 * from earlier answers, for an embedding and a vector lookup per query.
 *
 *   1 - H -> (1 - H)(1 - phi h),  Q += phi (embedding + lookup)
 *
 * The hit rate is given, or taken from a product type's typical rate (the
 * middle of the ranges practitioners report): FAQ and documentation
 * assistants 40-70%, customer support 30-55%, content generation 5-20%,
 * code assistants 15-35%, data analysis 10-25%, personal assistants under
 * 10%. */
#include <stdio.h>
#include <string.h>

#include "lever.h"

enum cache_product { PRODUCT_NONE, PRODUCT_FAQ, PRODUCT_SUPPORT, PRODUCT_CONTENT, PRODUCT_CODE, PRODUCT_ANALYSIS,
                     PRODUCT_PERSONAL, PRODUCT_COUNT };
static const char *const product_names[] = { "none", "faq", "support", "content", "code", "analysis", "personal",
                                             NULL };
static const double product_hit_rate[] = { 0, 0.55, 0.425, 0.125, 0.25, 0.175, 0.05 };

typedef struct semantic_cache {
    double hit_rate;            /* interactions answered from the cache */
    int product;                /* enum cache_product */
    double embed_tokens;        /* per query */
    double lookup_cost;         /* $ per query */
} semantic_cache;
_Static_assert(sizeof(semantic_cache) <= LEVER_PARAM_BYTES, "semantic_cache parameters fit a lever");

static const param_key keys[] = {
    PNUM(semantic_cache, "hit_rate", hit_rate, 0, 1, 0, "share", "0", "queries answered from the cache"),
    PENUM(semantic_cache, "product", product, product_names, 0, "none",
          "the product type whose typical hit rate applies when hit_rate is not given: faq 55%, support 42.5%, "
          "content 12.5%, code 25%, analysis 17.5%, personal 5%"),
    PNUM(semantic_cache, "embed_tokens", embed_tokens, 0, 0, PARAM_POS, "tokens per query", "0",
         "tokens embedded to look a query up"),
    PNUM(semantic_cache, "lookup_cost", lookup_cost, 0, 0, PARAM_POS, "$ per query", "0", "the vector lookup"),
    PARAM_END
};

static void apply(lever_spec *sp, const lever *l, double phi, const price_table *pt)
{
    const semantic_cache *p = lever_params_c(l);
    sp->semantic_hit = 1 - (1 - sp->semantic_hit) * (1 - phi * p->hit_rate);
    sp->semantic_cost += phi * (p->embed_tokens * pt->embedding / 1e6 + p->lookup_cost);
}

/* a hit rate or a product, never both */
static bool shows(const lever *l, const char *key)
{
    const semantic_cache *p = lever_params_c(l);
    if (!strcmp(key, "hit_rate"))
        return p->product == PRODUCT_NONE;
    if (!strcmp(key, "product"))
        return p->product != PRODUCT_NONE;
    return true;
}

static int check(lever *l, const lever_check *c)
{
    semantic_cache *p = lever_params(l);
    bool hr = c->given(c->loader, &p->hit_rate);
    bool pr = c->given(c->loader, &p->product) && p->product != PRODUCT_NONE;
    if (hr == pr)
        return lever_fail(c, hr ? (const void *)&p->product : (const void *)l, NULL,
                          "semantic-cache lever '%s' needs one of 'hit_rate' and 'product', %s", l->name,
                          hr ? "not both" : "and has neither");
    if (pr)
        p->hit_rate = product_hit_rate[p->product];
    return TS_OK;
}

static void hits_halved(const lever *l, const char *path, lever_sets *out)
{
    const semantic_cache *p = lever_params_c(l);
    if (p->product != PRODUCT_NONE)
        lever_sets_add(out, "%s.product=none", path);
    lever_sets_add(out, "%s.hit_rate=%.17g", path, p->hit_rate / 2);
}

static int describe(const lever *l, char *buf, size_t n)
{
    const semantic_cache *p = lever_params_c(l);
    return snprintf(buf, n, "semantic cache on %s, %g%% hits%s%s%s", lever_feature_words(l), 100 * p->hit_rate,
                    p->product != PRODUCT_NONE ? " (typical of " : "",
                    p->product != PRODUCT_NONE ? product_names[p->product] : "",
                    p->product != PRODUCT_NONE ? ")" : "");
}

const lever_kind lever_kind_semantic_cache = {
    .name = "semantic_cache",
    .summary = "a share of interactions is answered from earlier answers, for a lookup per query",
    .keys = keys,
    .params_size = sizeof(semantic_cache),
    .apply = apply,
    .describe = describe,
    .check = check,
    .shows = shows,
    .hits_halved = hits_halved,
};
