/* lever_batch.c: a share of calls waits for the batch API, at the model's
 * batch discount.
 *
 *   1 - b -> (1 - b)(1 - phi share) */
#include <stdio.h>

#include "lever.h"

typedef struct batch {
    double share;               /* calls batched */
} batch;
_Static_assert(sizeof(batch) <= LEVER_PARAM_BYTES, "batch parameters fit a lever");

static const param_key keys[] = {
    PNUM(batch, "share", share, 0, 1, PARAM_NEEDED, "share", "0", "share of calls batched"),
    PARAM_END
};

static void apply(lever_spec *sp, const lever *l, double phi, const price_table *pt)
{
    (void)pt;
    sp->batch = 1 - (1 - sp->batch) * (1 - phi * ((const batch *)lever_params_c(l))->share);
}

static bool no_batch_price(const model_price *m)
{
    return m->batch_discount <= 0;
}

static int check(lever *l, const lever_check *c)
{
    const feature *f;
    const model_price *m = lever_model_lacking(c, l, no_batch_price, &f);
    if (m)
        return lever_fail(c, l, NULL, "lever '%s' batches calls of feature '%s', but model '%s' has no "
                          "'batch_discount'", l->name, f->name, m->name);
    return TS_OK;
}

static int describe(const lever *l, char *buf, size_t n)
{
    return snprintf(buf, n, "batch %g%% of %s's calls", 100 * ((const batch *)lever_params_c(l))->share,
                    lever_feature_words(l));
}

const lever_kind lever_kind_batch = {
    .name = "batch",
    .summary = "a share of calls waits for the batch API, at the model's batch discount",
    .keys = keys,
    .params_size = sizeof(batch),
    .apply = apply,
    .describe = describe,
    .check = check,
};
