/* uncertain_out.h: what a run with uncertain inputs shows about them: a
 * terminal block, an "uncertain" object of summary.json and inputs.csv
 * (each replication's draw). Nothing here is called for a scenario
 * without uncertain inputs. */
#ifndef TS_UNCERTAIN_OUT_H
#define TS_UNCERTAIN_OUT_H

#include <stdio.h>

#include "sim/engine/stats.h"
#include "sim/scenario/scenario.h"
#include "json.h"

/* The inputs' laws and draws, their rank correlations with each plan's
 * horizon margin and the variance split. sm->unc must be set. */
void uncertain_print(FILE *out, const scenario *s, const summary *sm);

/* Adds summary.json's "uncertain" object to root. sm->unc must be set. */
void uncertain_json(cJSON *root, const scenario *s, const summary *sm);

/* inputs.csv: replication, then one column per input (its path). Returns
 * the text (the caller frees it) and its length, or NULL when out of
 * memory. r->inputs must be set. */
char *uncertain_inputs_csv(const scenario *s, const run_result *r, size_t *len);

#endif
