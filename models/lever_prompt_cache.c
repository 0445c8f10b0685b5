/* lever_prompt_cache.c: prompt caching, a share of each call's input is a
 * cached prefix, read from the cache at the cached price (a share h of the
 * time) or written to it at the write price.
 *
 *   r -> (1-phi) r + phi c h,  s -> (1-phi) s + phi c (1-h) */
#include <stdio.h>

#include "lever.h"

typedef struct prompt_cache {
    double share;               /* input tokens cached */
    double hit_rate;            /* reads per cached prefix */
} prompt_cache;
_Static_assert(sizeof(prompt_cache) <= LEVER_PARAM_BYTES, "prompt_cache parameters fit a lever");

static const param_key keys[] = {
    PNUM(prompt_cache, "share", share, 0, 1, PARAM_NEEDED, "share", "0", "share of input cached"),
    PNUM(prompt_cache, "hit_rate", hit_rate, 0, 1, PARAM_NEEDED, "share", "0",
         "cached input read from the cache rather than written"),
    PARAM_END
};

static void apply(lever_spec *sp, const lever *l, double phi, const price_table *pt)
{
    (void)pt;
    const prompt_cache *p = lever_params_c(l);
    sp->cache_read = (1 - phi) * sp->cache_read + phi * p->share * p->hit_rate;
    sp->cache_write = (1 - phi) * sp->cache_write + phi * p->share * (1 - p->hit_rate);
}

static bool no_cached_price(const model_price *m)
{
    return m->cached_input < 0;
}

static int check(lever *l, const lever_check *c)
{
    const feature *f;
    const model_price *m = lever_model_lacking(c, l, no_cached_price, &f);
    if (m)
        return lever_fail(c, l, NULL, "lever '%s' caches prompts of feature '%s', but model '%s' has no "
                          "'cached_input_per_mtok'", l->name, f->name, m->name);
    return TS_OK;
}

static void hits_halved(const lever *l, const char *path, lever_sets *out)
{
    lever_sets_add(out, "%s.hit_rate=%.17g", path, ((const prompt_cache *)lever_params_c(l))->hit_rate / 2);
}

static int describe(const lever *l, char *buf, size_t n)
{
    const prompt_cache *p = lever_params_c(l);
    return snprintf(buf, n, "prompt cache on %g%% of %s's input, %g%% hits", 100 * p->share,
                    lever_feature_words(l), 100 * p->hit_rate);
}

const lever_kind lever_kind_prompt_cache = {
    .name = "prompt_cache",
    .summary = "a share of each call's input is read from the provider's prompt cache",
    .keys = keys,
    .params_size = sizeof(prompt_cache),
    .apply = apply,
    .describe = describe,
    .check = check,
    .hits_halved = hits_halved,
};
