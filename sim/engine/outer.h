/* outer.h: the outer loop of a run with uncertain inputs.
 *
 * Each replication (or group of `inner` replications) draws the scenario's
 * uncertain inputs once, before its customers, and runs on its own copy of
 * the scenario with those values set, so inputs cost nothing per
 * customer-month. Draw g comes from the stream (seed, g) under a key of its
 * own (distinct from every customer stream); Latin hypercube strata and the
 * Iman-Conover reordering come from one more stream of the seed alone, over
 * all the scenario's draws, so rows depend neither on the thread count nor
 * on which replications a call runs. */
#ifndef TS_OUTER_H
#define TS_OUTER_H

#include "sim/scenario/scenario.h"
#include "engine.h"

/* The draws of s's uncertain inputs (row g: draw g, ninputs values) for
 * draws [0, ndraws). x must hold ndraws * s->uncertain.ninputs values.
 * Returns 0, or -1 when out of memory. */
int outer_draws(const scenario *s, int ndraws, double *x);

/* How many draws a run of replications [0, nreps) of s uses. */
int outer_ndraws(const scenario *s, int nreps);

/* engine_run_observed for a scenario with uncertain inputs: the same
 * contract, each row run on its own copy of s. Fills out->inputs with the
 * draws. An input value the loader refuses in one replication's copy (a
 * check across keys) fails the run with TS_ERR_INPUT naming the draw. */
int outer_run(const scenario *s, const engine_opts *o, const engine_observer *obs, run_result *out, ts_error *err);

/* The resolved scenario s without its uncertain section (nor the analysis
 * commands' shocks and tornado parameters), as YAML, for outer_copy; the
 * caller frees it. NULL when out of memory. */
char *outer_base_text(const scenario *s);

/* Loads into copy the scenario `text` (from outer_base_text(s)) with s's
 * uncertain inputs set to x[0..ninputs). Returns TS_OK or the loader's
 * error (a value that breaks a check across keys). */
int outer_copy(const scenario *s, const char *text, const double *x, scenario *copy, ts_error *err);

/* engine_run_observed without the outer loop (s must have no uncertain
 * inputs, or be a replication's copy), running every row in this process
 * when `local`, else this MPI rank's block (engine.c). */
int engine_run_rows(const scenario *s, const engine_opts *o, const engine_observer *obs, bool local, run_result *out,
                    ts_error *err);

#endif
