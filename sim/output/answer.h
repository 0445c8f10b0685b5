/* answer.h: the opening of the run's report, the answer before the detail:
 * which plan wins on gross margin and which on gross profit, by how much
 * (the paired difference with the runner-up and its 95% interval), the
 * winner's P5 downside, and the red flags. With one plan: its margin and
 * profit with their intervals and P5, and the flags.
 *
 * Red flags: the heavy-tail warning; a plan whose mean margin is negative,
 * or below 0 in at least 5% of replications; a plan whose customer-months
 * cost more than they paid at least 20% of the time; the heaviest 1% of
 * customers making at least 20% of the last month's inference cost; and
 * the cost dashboard's own flags (dashboard.h). */
#ifndef TS_ANSWER_H
#define TS_ANSWER_H

#include "doc.h"
#include "report.h"
#include "sim/engine/stats.h"
#include "sim/scenario/scenario.h"

#define ANSWER_LOSING_PCT 20.0      /* % of customer-months that lose money */
#define ANSWER_TOP1_PCT 20.0        /* % of the last month's inference cost */
#define ANSWER_P_LOSS 0.05          /* share of replications below 0 margin */

struct dashboard;
/* Appends the section "The answer" to d. db may be NULL. */
void answer_doc(doc *d, const scenario *s, const summary *sm, const struct dashboard *db, const provenance *pv);

#endif
