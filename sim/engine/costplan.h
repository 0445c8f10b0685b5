/* costplan.h: what one interaction of each feature and route costs in each
 * month, with no lever, then after each lever in order (the stages of the
 * savings waterfall), the world's price changes and launches applied.
 *
 * Built once per run from the scenario and shared read-only by the
 * engine's threads; absent (NULL values) when the scenario has no lever and
 * no world event, so the engine keeps its constant costs. */
#ifndef TS_COSTPLAN_H
#define TS_COSTPLAN_H

#include <stdbool.h>

#include "sim/scenario/scenario.h"

enum costplan_part { CP_MODEL, CP_RETRIEVAL, CP_TOKENS, CP_SELF_TOKENS, CP_SELF_COST, CP_PARTS };

typedef struct costplan {
    int nmonths, nfeatures, nstages;   /* stages: no lever, then one per lever */
    int self_stage;                    /* the stage of the self-hosting lever, or -1 */
    double self_gpu, self_capacity;    /* its $ a month and tokens a month */
    int self_start;                    /* its first month (1-based) */
    double *v;                         /* [month][feature][route][stage][part] */
} costplan;

/* Whether the scenario needs a cost plan (levers or world events). */
bool costplan_needed(const scenario *s);

/* Builds the plan. Returns 0, or -1 when out of memory. Free with
 * costplan_free. */
int costplan_build(costplan *cp, const scenario *s);
void costplan_free(costplan *cp);

static inline const double *costplan_at(const costplan *cp, int month, int f, int r, int stage)
{
    return cp->v + ((((size_t)month * cp->nfeatures + f) * COST_MAX_ROUTES + r) * cp->nstages + stage) * CP_PARTS;
}

#endif
