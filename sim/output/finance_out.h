/* finance_out.h: unit economics and cash as a run shows them (docs/finance.md):
 * the terminal block after a plan's margin table, cohorts.csv (long form),
 * unit_economics.csv, the "unit_economics" object of summary.json and the
 * report's section. Each is called only when sm->fin is set (a scenario
 * with a finance: section); without one no output changes. */
#ifndef TS_FINANCE_OUT_H
#define TS_FINANCE_OUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "doc.h"
#include "sim/engine/stats.h"
#include "sim/scenario/scenario.h"

/* The unit-economics block of plan p. */
void finance_print(FILE *out, const scenario *s, const summary *sm, int p);

/* cohorts.csv: plan, cohort (sign-up month), month, age, metric,
 * mean, se, p5, p50, p95; one row a figure. Caller frees; NULL: memory. */
char *finance_cohorts_csv(const scenario *s, const summary *sm, size_t *len);

/* unit_economics.csv: plan, figure, mean, se, p5, p50, p95, then the cash
 * months (figure "cash_flow@M" and the like). Caller frees; NULL: memory. */
char *finance_unit_csv(const scenario *s, const summary *sm, size_t *len);

struct cJSON;
/* Adds "unit_economics" to summary.json's root. */
void finance_json(struct cJSON *root, const scenario *s, const summary *sm);

/* The report's section; plots: the pictures were drawn. */
void finance_doc(doc *d, const scenario *s, const summary *sm, bool plots);

#endif
