/* lever_cascade.c: a cascade, every call tries a cheap model first and a
 * share escalates to the model it had.
 *
 *   w_k *= 1 - phi + phi e,  w_first += phi */
#include <stdio.h>

#include "lever.h"

typedef struct cascade {
    char to[COST_NAME_LEN];     /* the cheap model tried first */
    int to_index;
    double escalate;            /* share of calls passed on to the original model */
} cascade;
_Static_assert(sizeof(cascade) <= LEVER_PARAM_BYTES, "cascade parameters fit a lever");

static const param_key keys[] = {
    PSTR(cascade, "to", to, PARAM_NEEDED, "", "the cheap model tried first"),
    PNUM(cascade, "escalate", escalate, 0, 1, PARAM_NEEDED, "share of calls", "0",
         "calls the cheap model passes on to the original one"),
    PARAM_END
};

static void apply(lever_spec *sp, const lever *l, double phi, const price_table *pt)
{
    const cascade *p = lever_params_c(l);
    for (int k = 0; k < pt->nmodels; k++)
        sp->w[k] *= 1 - phi + phi * p->escalate;
    sp->w[p->to_index] += phi;
}

static int check(lever *l, const lever_check *c)
{
    cascade *p = lever_params(l);
    return lever_model_ref(c, l, "to", p->to, &p->to_index, p->to);
}

static int describe(const lever *l, char *buf, size_t n)
{
    const cascade *p = lever_params_c(l);
    return snprintf(buf, n, "try %s first on %s, escalating %g%% of calls", p->to, lever_feature_words(l),
                    100 * p->escalate);
}

const lever_kind lever_kind_cascade = {
    .name = "cascade",
    .summary = "every call tries a cheap model first; a share escalates to the original model",
    .keys = keys,
    .params_size = sizeof(cascade),
    .apply = apply,
    .describe = describe,
    .check = check,
};
