/* compare.h: plans side by side on the same simulated customers.
 *
 * For each plan: revenue, cost, gross margin with its spread, the share of
 * customers who cost more than they pay, the margin per segment. For each
 * pair: the difference in margin and in gross profit with its interval,
 * computed replication by replication (the plans saw the same customers, so
 * the difference is much more precise than either figure). For a switch
 * from the first plan to each other: how every customer's bill would move
 * (from the last month of the first replication) and who moves most. */
#ifndef TS_COMPARE_H
#define TS_COMPARE_H

#include <stdio.h>

#include "sim/engine/engine.h"
#include "sim/output/report.h"
#include "sim/engine/stats.h"

void compare_print(FILE *out, const scenario *s, const run_result *r, const summary *sm, const provenance *pv);

/* The unpaired interval of plan a minus plan b, from their own intervals:
 * [diff - *below, diff + *above]. */
void compare_unpaired(const ts_stat *a, const ts_stat *b, double *below, double *above);

/* A plan's terms in a few words ("$20.00 flat", "$20.00 + 200 incl., $0.05
 * after"...), for tables. */
void compare_terms(const plan *p, char *buf, size_t n);

#endif
