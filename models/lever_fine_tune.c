/* lever_fine_tune.c: a fine-tuned model takes over a share of calls, for a
 * one-time training cost paid in the start month (its payback month is
 * reported in the waterfall).
 *
 *   w_k -= phi s w_k for every model k other than `to` (only `from` when
 *   given), the moved calls to `to` */
#include <stdio.h>

#include "lever.h"

typedef struct fine_tune {
    double share;
    char to[COST_NAME_LEN];
    int to_index;
    char from[COST_NAME_LEN];
    int from_index;
    double one_time_cost;       /* $ in the start month */
} fine_tune;
_Static_assert(sizeof(fine_tune) <= LEVER_PARAM_BYTES, "fine_tune parameters fit a lever");

static const param_key keys[] = {
    PNUM(fine_tune, "share", share, 0, 1, PARAM_NEEDED, "share", "0", "share of calls moved"),
    PSTR(fine_tune, "to", to, PARAM_NEEDED, "", "the model calls move to"),
    PSTR(fine_tune, "from", from, 0, "", "move calls only from this model (empty: from every other)"),
    PNUM(fine_tune, "one_time_cost", one_time_cost, 0, 0, PARAM_POS, "$", "0",
         "training and setup, paid in the start month (its payback month is reported)"),
    PARAM_END
};

static void apply(lever_spec *sp, const lever *l, double phi, const price_table *pt)
{
    const fine_tune *p = lever_params_c(l);
    lever_move_calls(sp, pt, phi * p->share, p->to_index, p->from_index);
}

static int check(lever *l, const lever_check *c)
{
    fine_tune *p = lever_params(l);
    int rc = lever_model_ref(c, l, "to", p->to, &p->to_index, p->to);
    return rc ? rc : lever_model_ref(c, l, "from", p->from, &p->from_index, p->from);
}

static double one_time_cost(const lever *l)
{
    return ((const fine_tune *)lever_params_c(l))->one_time_cost;
}

static int describe(const lever *l, char *buf, size_t n)
{
    const fine_tune *p = lever_params_c(l);
    return snprintf(buf, n, "move %g%% of %s to a fine-tuned %s ($%.0f up front)", 100 * p->share,
                    lever_feature_words(l), p->to, p->one_time_cost);
}

const lever_kind lever_kind_fine_tune = {
    .name = "fine_tune",
    .summary = "a fine-tuned model takes a share of calls, for a one-time cost",
    .keys = keys,
    .params_size = sizeof(fine_tune),
    .apply = apply,
    .describe = describe,
    .check = check,
    .one_time_cost = one_time_cost,
};
