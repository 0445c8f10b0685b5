/* waterfall.h: what the levers did: the demand's inference cost with no
 * lever, each lever's saving in the order applied, and the cost after them,
 * over the horizon and month by month, with the month a fine-tuning lever
 * pays back its one-time cost. The parts add up exactly: every stage prices
 * the same simulated interactions. */
#ifndef TS_WATERFALL_H
#define TS_WATERFALL_H

#include <stdbool.h>
#include <stdio.h>

#include "doc.h"
#include "report.h"
#include "sim/scenario/scenario.h"
#include "sim/engine/stats.h"

/* The first month (1-based) by whose end lever j's savings since its start
 * cover its one-time cost; 0 without such a cost; -1 not within the horizon. */
int waterfall_payback(const scenario *s, const summary *sm, int j);

void waterfall_print(FILE *out, const scenario *s, const summary *sm);

struct cJSON;
/* Adds "levers" (the waterfall, monthly stage costs, paybacks) to root. */
void waterfall_json(struct cJSON *root, const scenario *s, const summary *sm);

/* A section of the run's report. */
void waterfall_doc(doc *d, const scenario *s, const summary *sm, bool plots);

#endif
