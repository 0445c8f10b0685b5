/* report.h: what a run shows in the terminal, and the files it writes.
 *
 * Terminal tables (report.c): the cost of one interaction, the month-by-month
 * margin table with intervals, unit metrics, the segment table in the
 * textbook's form, and the concentration of cost. Files (outputs.c):
 * monthly.csv, segments.csv, replications.csv and summary.json, each written
 * under a temporary name and renamed, each carrying its provenance (through
 * the writers of csv.h and json.h). */
#ifndef TS_REPORT_H
#define TS_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "sim/engine/engine.h"
#include "sim/scenario/scenario.h"
#include "sim/engine/stats.h"

typedef struct provenance {
    const char *version;
    const char *scenario_file;
    uint64_t hash;
    uint64_t seed;
    int replications;        /* in the run */
    int first;               /* index of the first replication */
    bool single;             /* --replication K */
    /* --precision: the target half-width (0: none), which figure, what was reached */
    double precision_target, precision_halfwidth;
    const char *precision_stat;
    bool precision_reached;
    /* the heavy-tail diagnosis (sim/engine/tail.h), or NULL: a heavy tail
     * puts its warning in every output */
    const struct tail_report *tail;
} provenance;

/* The heavy-tail warning of pv into buf (n bytes): buf, or NULL when there is none. */
const char *outputs_tail_warning(const provenance *pv, char *buf, size_t n);

/* Prints the run's tables to `out`. */
void report_print(FILE *out, const scenario *s, const summary *sm, const provenance *pv);

/* Prints the cost-of-one-interaction table (also `tokensim cost`). */
void report_print_costs(FILE *out, const scenario *s);

/* Writes every output file into dir (created if missing): monthly.csv (wide),
 * metrics.csv (the same figures long: plan, month, metric, statistic,
 * value), segments.csv, replications.csv, summary.json, provenance.json; db, the run's
 * dashboard, may be NULL (then summary.json has none). Returns TS_OK or
 * TS_ERR_RUNTIME with err filled; never leaves a half-written file. */
struct dashboard;
int outputs_write(const char *dir, const scenario *s, const run_result *r, const summary *sm,
                  const struct dashboard *db, const provenance *pv, ts_error *err);

/* The summary as JSON text (caller frees with free()). NULL when out of memory. */
char *outputs_summary_json(const scenario *s, const summary *sm, const struct dashboard *db, const provenance *pv);

/* The CSV and JSON writers every command shares, with the provenance
 * line and object, are in csv.h and json.h. */

#endif
