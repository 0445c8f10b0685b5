/* planswitch_out.h: the plan-switch analysis (sim/engine/planswitch.h) in
 * the run's files: summary.json's "plan_switch" array and the report's
 * section "If every customer switched plans". */
#ifndef TS_PLANSWITCH_OUT_H
#define TS_PLANSWITCH_OUT_H

#include "doc.h"
#include "sim/engine/stats.h"
#include "sim/scenario/scenario.h"

struct cJSON;
/* Adds root["plan_switch"], one object per plan after the first (nothing
 * when sm has no switch: one plan, or no snapshot). */
void planswitch_json(struct cJSON *root, const scenario *s, const summary *sm);

/* The report's section on the switches; nothing when sm has none. */
void planswitch_doc(doc *d, const scenario *s, const summary *sm);

#endif
