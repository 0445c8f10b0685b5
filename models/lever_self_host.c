/* lever_self_host.c: self-hosting, a share of calls runs on rented GPUs
 * serving an open-weight model.
 *
 * A share phi s of every model's calls (only `from`'s when given) moves to
 * the GPUs, priced here at the API rates of `to`, the model they spill
 * over to. The month's close swaps that for the GPU rent plus the API cost
 * of the tokens above the capacity:
 *   G + max(0, D - C) / D x (their API cost),  D the month's tokens, C the
 *   capacity = tokens per second x the seconds of a 30-day month x the
 *   usable share.
 * One self-hosted model per scenario: the cost plan settles one. */
#include <stdio.h>

#include "lever.h"

typedef struct self_host {
    double share;
    char to[COST_NAME_LEN];     /* the self-hosted model; spill-over goes to its API */
    int to_index;
    char from[COST_NAME_LEN];
    int from_index;
    double gpus;                /* serving units rented */
    double gpu_monthly;         /* $ a month (default: gpus x gpu_per_hour x 720) */
    double capacity_tps;        /* tokens a second (default: gpus x gpu_tokens_per_second) */
    double utilization;         /* share of the month's seconds the capacity is usable */
} self_host;
_Static_assert(sizeof(self_host) <= LEVER_PARAM_BYTES, "self_host parameters fit a lever");

static const param_key keys[] = {
    PNUM(self_host, "share", share, 0, 1, PARAM_NEEDED, "share", "0", "share of calls moved"),
    PSTR(self_host, "to", to, PARAM_NEEDED, "", "the model calls move to"),
    PSTR(self_host, "from", from, 0, "", "move calls only from this model (empty: from every other)"),
    PNUM(self_host, "gpus", gpus, 0, 0, PARAM_GT0, "units", "1",
         "serving units rented (GPUs or nodes, as the model's gpu_per_hour counts them)"),
    PNUM(self_host, "gpu_monthly", gpu_monthly, 0, 0, PARAM_POS, "$ per month", "0",
         "what the GPUs cost a month, from the start month, used or not (default: gpus x the model's gpu_per_hour "
         "x 720 hours)"),
    PNUM(self_host, "capacity_tps", capacity_tps, 0, 0, PARAM_GT0, "tokens per second", "0",
         "tokens a second the GPUs serve; the month's demand above that spills over to `to` at its API price"),
    PNUM(self_host, "utilization", utilization, 0, 1, PARAM_MIN_OPEN, "share", "1",
         "share of the month's seconds the capacity is usable (below 1 for daily peaks)"),
    PARAM_END
};

static void apply(lever_spec *sp, const lever *l, double phi, const price_table *pt)
{
    const self_host *p = lever_params_c(l);
    double x = phi * p->share;
    for (int k = 0; k < pt->nmodels; k++)
        if (sp->w[k] > 0 && (p->from_index < 0 || k == p->from_index)) {
            sp->self_w += x * sp->w[k];
            sp->w[k] -= x * sp->w[k];
        }
    sp->self_model = p->to_index;
}

static int check(lever *l, const lever_check *c)
{
    self_host *p = lever_params(l);
    for (int j = 0; j < c->index; j++)
        if (lever_kind_of(&c->levers[j]) == lever_kind_of(l))
            return lever_fail(c, l, NULL, "a second self-hosting lever '%s': one self-hosted model per scenario",
                              l->name);
    int rc = lever_model_ref(c, l, "to", p->to, &p->to_index, p->to);
    if (!rc)
        rc = lever_model_ref(c, l, "from", p->from, &p->from_index, p->from);
    if (rc)
        return rc;
    /* the GPUs' price and capacity: given, or from the model's entry */
    const model_price *m = &c->prices->models[p->to_index];
    if (!c->given(c->loader, &p->gpu_monthly)) {
        if (m->gpu_per_hour <= 0)
            return lever_fail(c, l, NULL, "self-hosting lever '%s' has no 'gpu_monthly' and model '%s' no "
                              "'gpu_per_hour' to derive it from", l->name, m->name);
        p->gpu_monthly = p->gpus * m->gpu_per_hour * 720;
    }
    if (!c->given(c->loader, &p->capacity_tps)) {
        if (m->gpu_tokens_per_second <= 0)
            return lever_fail(c, l, NULL, "self-hosted model '%s' of lever '%s' has no capacity: give "
                              "'capacity_tps', or 'gpu_tokens_per_second' in its price entry", m->name, l->name);
        p->capacity_tps = p->gpus * m->gpu_tokens_per_second;
    }
    return TS_OK;
}

static void capacity(const lever *l, double *monthly, double *tokens)
{
    const self_host *p = lever_params_c(l);
    *monthly = p->gpu_monthly;
    *tokens = p->capacity_tps * 30 * 24 * 3600 * p->utilization;
}

static int describe(const lever *l, char *buf, size_t n)
{
    const self_host *p = lever_params_c(l);
    return snprintf(buf, n, "self-host %g%% of %s on %s (%g GPUs, $%.0f a month, %g tokens a second)",
                    100 * p->share, lever_feature_words(l), p->to, p->gpus, p->gpu_monthly, p->capacity_tps);
}

const lever_kind lever_kind_self_host = {
    .name = "self_host",
    .summary = "a share of calls runs on rented GPUs; demand above their capacity spills over to the API",
    .keys = keys,
    .params_size = sizeof(self_host),
    .apply = apply,
    .describe = describe,
    .check = check,
    .capacity = capacity,
};
