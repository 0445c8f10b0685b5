/* costplan.c: month-by-month costs per feature, route and lever stage. */
#include "costplan.h"

#include <stdlib.h>
#include <string.h>

bool costplan_needed(const scenario *s)
{
    if (s->nlevers > 0 || s->world.deflation > 0 || s->world.nprices > 0 || s->world.nfeatures > 0)
        return true;
    for (int i = 0; i < s->world.nshocks; i++)
        if (s->world.shocks[i].type == SHOCK_MODEL_PRICES)
            return true;
    return false;
}

int costplan_build(costplan *cp, const scenario *s)
{
    memset(cp, 0, sizeof *cp);
    cp->nmonths = s->horizon;
    cp->nfeatures = s->nfeatures;
    cp->nstages = s->nlevers + 1;
    cp->self_stage = -1;
    /* a rented capacity (self-hosting), settled at each month's close */
    for (int j = 0; j < s->nlevers; j++)
        if (lever_capacity(&s->levers[j], &cp->self_gpu, &cp->self_capacity)) {
            cp->self_stage = j + 1;
            cp->self_start = s->levers[j].start_month;
        }
    cp->v = calloc((size_t)cp->nmonths * cp->nfeatures * COST_MAX_ROUTES * cp->nstages * CP_PARTS, sizeof *cp->v);
    if (!cp->v)
        return -1;
    for (int m = 0; m < cp->nmonths; m++)
        for (int f = 0; f < s->nfeatures; f++)
            for (int r = 0; r < feature_route_count(&s->features[f]); r++) {
                lever_spec sp;
                lever_spec_init(&sp, &s->features[f], f, r, &s->prices, &s->world, m + 1);
                for (int j = 0; j < cp->nstages; j++) {
                    if (j > 0) {
                        const lever *l = &s->levers[j - 1];
                        if (l->feature_index < 0 || l->feature_index == f)
                            lever_apply(&sp, l, lever_strength(l, m + 1), &s->prices);
                    }
                    double *o = (double *)costplan_at(cp, m, f, r, j);
                    lever_cost lc = lever_spec_cost(&sp, &s->prices, &s->world, m + 1);
                    o[CP_MODEL] = lc.model;
                    o[CP_RETRIEVAL] = lc.retrieval;
                    o[CP_TOKENS] = lc.tokens;
                    o[CP_SELF_TOKENS] = lc.self_tokens;
                    o[CP_SELF_COST] = lc.self_cost;
                }
            }
    return 0;
}

void costplan_free(costplan *cp)
{
    free(cp->v);
    memset(cp, 0, sizeof *cp);
}
