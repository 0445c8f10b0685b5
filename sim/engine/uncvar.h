/* uncvar.h: what a run with uncertain inputs says about them: the draws'
 * statistics, each input's rank correlation with every plan's horizon
 * margin, and the horizon margin's variance split by the law of total
 * variance into a part from the inputs and a part from usage randomness.
 *
 * With groups of m = `inner` replications sharing one draw theta_g, group
 * means ybar_g and sample variances s2_g over G complete groups:
 *   W = mean_g s2_g                 unbiased for E[Var(Y | theta)] (usage)
 *   B = sample variance of ybar_g   whose expectation is
 *       Var(E[Y | theta]) + E[Var(Y | theta)] / m
 *   V_param = B - W / m             unbiased for Var(E[Y | theta]) (inputs)
 * V_param can come out negative by chance when the inputs matter little;
 * it is reported as computed, and its share W / (W + V_param) clamped to
 * [0, 1]. The split needs m >= 2 and G >= 2. */
#ifndef TS_UNCVAR_H
#define TS_UNCVAR_H

#include <stdbool.h>

#include "engine.h"

typedef struct unc_summary {
    int ninputs, nplans, inner, ngroups;
    double *mean, *p5, *p95;    /* [input]: the draws' */
    double *rank;               /* [plan][input]: Spearman correlation of the draw with the horizon margin */
    double *var_total;          /* [plan]: variance of the horizon margin across replications, points^2 */
    double *var_usage;          /* [plan]: W */
    double *var_param;          /* [plan]: B - W / m */
    bool split;                 /* m >= 2 and G >= 2 */
} unc_summary;

/* Summarises r's uncertain inputs (r->inputs must be set). Returns NULL
 * when out of memory; free with unc_summary_free. */
unc_summary *unc_summary_build(const run_result *r);
void unc_summary_free(unc_summary *u);

/* The share of the horizon margin's variance due to the inputs, in [0, 1];
 * NaN when the run cannot split it. */
double unc_param_share(const unc_summary *u, int p);

#endif
