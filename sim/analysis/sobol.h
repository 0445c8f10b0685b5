/* sobol.h: `tokensim sobol`: first-order and total Sobol indices of a
 * plan's figures over the scenario's uncertain inputs.
 *
 * Each evaluation draws the inputs at a point u of the unit hypercube
 * (x_i = F_i^-1(u_i), the inputs taken as independent: a rank-correlation
 * matrix is not used here), loads the scenario with them and runs R
 * replications on the scenario's seed (the same customers' streams at
 * every point: common random numbers). Its outputs are three figures of
 * the plan, means over the R replications: the horizon gross margin (%),
 * the horizon gross profit ($) and the P5 month's margin: the 5th
 * percentile of the monthly margins over every month and replication. */
#ifndef TS_SOBOL_H
#define TS_SOBOL_H

#include <signal.h>

#include "sim/output/report.h"
#include "sim/scenario/scenario.h"
#include "sobol_est.h"

struct plot_opts;
struct plot_report;

enum sobol_output { SOBOL_MARGIN, SOBOL_PROFIT, SOBOL_P5_MONTH_MARGIN, SOBOL_OUTPUTS };
extern const char *const sobol_output_names[SOBOL_OUTPUTS];

typedef struct sobol_run {
    int plan, n, nreps, boot, threads;
    volatile sig_atomic_t *stop;
} sobol_run;

/* Estimates the indices of plan o->plan of s (which has uncertain inputs).
 * Returns TS_OK and fills r (free with sobol_result_free), or an error. */
int sobol_scenario(const scenario *s, const sobol_run *o, sobol_result *r, ts_error *err);

/* sobol.csv: output, input, n, s1, s1_lo, s1_hi, st, st_lo, st_hi;
 * sobol_convergence.csv: output, input, n, s1, st per prefix of the
 * design; summary.json, opening with pv's provenance. The caller frees
 * each. */
char *sobol_csv(const scenario *s, const sobol_result *r);
char *sobol_convergence_csv(const scenario *s, const sobol_result *r);
char *sobol_json(const scenario *s, const sobol_run *o, const sobol_result *r, const provenance *pv);

/* plots/sobol (the horizon margin's indices with their intervals) and
 * plots/sobol_convergence (its indices against the base samples). Returns
 * TS_OK, or TS_ERR_RUNTIME when a script cannot be written; rendering
 * problems go to rep. */
int sobol_plot(const scenario *s, const sobol_run *o, const sobol_result *r, const provenance *pv,
               const struct plot_opts *po, struct plot_report *rep, ts_error *err);

/* The terminal table. */
void sobol_print(FILE *out, const scenario *s, const sobol_run *o, const sobol_result *r);

#endif
