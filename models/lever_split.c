/* lever_split.c: a classifier's split, every call of the feature goes to a
 * fixed mix of models (70/20/10).
 *
 *   w_k -> (1 - phi) w_k + phi (sum w) split_k */
#include <stdio.h>

#include "lever.h"

typedef struct split_share {
    char model[COST_NAME_LEN];
    double share;
    int model_index;
} split_share;

typedef struct split {
    split_share mix[COST_MAX_ROUTES];   /* shares sum to 1 */
    int n;
} split;
_Static_assert(sizeof(split) <= LEVER_PARAM_BYTES, "split parameters fit a lever");

static const param_key share_keys[] = {
    PSTR(split_share, "model", model, PARAM_REQUIRED, NULL, "a model of the price table"),
    PNUM(split_share, "share", share, 0, 1, PARAM_REQUIRED, "share of calls", NULL,
         "its share; the shares add up to 1"),
    PARAM_END
};

static const param_key keys[] = {
    PLIST(split, "split", mix, split_share, n, COST_MAX_ROUTES, share_keys, PARAM_NEEDED,
          "the models every call goes to, with shares adding up to 1 (a classifier's 70/20/10)"),
    PARAM_END
};

static void apply(lever_spec *sp, const lever *l, double phi, const price_table *pt)
{
    const split *p = lever_params_c(l);
    double total = 0;
    for (int k = 0; k < pt->nmodels; k++) {
        total += sp->w[k];
        sp->w[k] *= 1 - phi;
    }
    for (int i = 0; i < p->n; i++)
        sp->w[p->mix[i].model_index] += phi * total * p->mix[i].share;
}

static int check(lever *l, const lever_check *c)
{
    split *p = lever_params(l);
    double sum = 0;
    for (int k = 0; k < p->n; k++) {
        char path[160];
        snprintf(path, sizeof path, "levers.%s.split", l->name);
        int rc = c->model(c->loader, p->mix[k].model, p->mix[k].model, path);
        if (rc)
            return rc;
        p->mix[k].model_index = cost_model_find(c->prices, p->mix[k].model);
        sum += p->mix[k].share;
    }
    if (sum < 1 - 1e-6 || sum > 1 + 1e-6)
        return lever_fail(c, p->mix, NULL, "the shares of lever '%s' add up to %g, expected 1", l->name, sum);
    return TS_OK;
}

static int describe(const lever *l, char *buf, size_t n)
{
    const split *p = lever_params_c(l);
    int len = snprintf(buf, n, "split %s's calls", lever_feature_words(l));
    for (int i = 0; i < p->n && len >= 0 && (size_t)len < n; i++)
        len += snprintf(buf + len, n - (size_t)len, "%s %g%% %s", i ? "," : "", 100 * p->mix[i].share,
                        p->mix[i].model);
    return len;
}

const lever_kind lever_kind_split = {
    .name = "split",
    .summary = "every call goes to a fixed mix of models, as a classifier's 70/20/10",
    .keys = keys,
    .params_size = sizeof(split),
    .apply = apply,
    .describe = describe,
    .check = check,
};
