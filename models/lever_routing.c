/* lever_routing.c: routing, a classifier sends a share of calls to a
 * cheaper model.
 *
 *   w_k -= phi s w_k for every model k other than `to` (only `from` when
 *   given), the moved calls to `to`; X += phi x classifier cost */
#include <stdio.h>

#include "lever.h"

typedef struct routing {
    double share;               /* calls moved */
    char to[COST_NAME_LEN];
    int to_index;
    char from[COST_NAME_LEN];   /* "": from every other model */
    int from_index;
    double classifier_cost;     /* $ per interaction */
} routing;
_Static_assert(sizeof(routing) <= LEVER_PARAM_BYTES, "routing parameters fit a lever");

static const param_key keys[] = {
    PNUM(routing, "share", share, 0, 1, PARAM_NEEDED, "share", "0", "share of calls moved"),
    PSTR(routing, "to", to, PARAM_NEEDED, "", "the model calls move to"),
    PSTR(routing, "from", from, 0, "", "move calls only from this model (empty: from every other)"),
    PNUM(routing, "classifier_cost", classifier_cost, 0, 0, PARAM_POS, "$ per interaction", "0",
         "what the classifier costs per interaction"),
    PARAM_END
};

static void apply(lever_spec *sp, const lever *l, double phi, const price_table *pt)
{
    const routing *p = lever_params_c(l);
    lever_move_calls(sp, pt, phi * p->share, p->to_index, p->from_index);
    sp->extra_model += phi * p->classifier_cost;
}

static int check(lever *l, const lever_check *c)
{
    routing *p = lever_params(l);
    int rc = lever_model_ref(c, l, "to", p->to, &p->to_index, p->to);
    return rc ? rc : lever_model_ref(c, l, "from", p->from, &p->from_index, p->from);
}

static int describe(const lever *l, char *buf, size_t n)
{
    const routing *p = lever_params_c(l);
    return snprintf(buf, n, "route %g%% of %s%s%s to %s%s", 100 * p->share, lever_feature_words(l),
                    p->from[0] ? " from " : "", p->from, p->to, p->classifier_cost > 0 ? ", with a classifier" : "");
}

const lever_kind lever_kind_routing = {
    .name = "routing",
    .summary = "a classifier sends a share of calls to another (cheaper) model",
    .keys = keys,
    .params_size = sizeof(routing),
    .apply = apply,
    .describe = describe,
    .check = check,
};
