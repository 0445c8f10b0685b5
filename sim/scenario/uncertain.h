/* uncertain.h: a scenario's uncertain inputs (the `uncertain:` section):
 * scenario values given a law instead of a number, drawn once per
 * replication (or per group of `inner` replications) before its customers,
 * optionally by Latin hypercube and with rank correlations (Iman-Conover).
 *
 * The loader checks every input (the path names numbers of the scenario,
 * the law's support stays in each key's valid range, the correlation
 * matrix is valid) and resolves each path into the concrete values it
 * touches; unc_sets turns one row of draws into the --set texts that make
 * that replication's scenario. */
#ifndef TS_UNCERTAIN_H
#define TS_UNCERTAIN_H

#include <stdbool.h>

#include "models/dist.h"
#include "change.h"
#include "sim/core/error.h"

#define UNC_MAX_INPUTS 16
#define UNC_TEXT_LEN 200
#define UNC_MAX_TARGETS 16   /* concrete values one input may touch once `*` is expanded */

enum unc_sampling { UNC_RANDOM, UNC_LATIN_HYPERCUBE };

typedef struct unc_input {
    char path[CHANGE_PATH_LEN];
    int op;                  /* enum change_op: the draw replaces, multiplies or adds to the value */
    ts_dist dist;            /* as written */
    /* filled by the loader: the law drawn from (dist with a normal's default
     * truncation and discrete values parsed), kept apart so that the
     * scenario writes and hashes as it was given */
    ts_dist law;
    char values[UNC_TEXT_LEN], weights[UNC_TEXT_LEN];   /* discrete: numbers separated by spaces or commas */
    char correlations[UNC_TEXT_LEN];   /* this input's row of the Spearman matrix */
    /* filled by the loader: the concrete paths and their current values */
    char targets[UNC_MAX_TARGETS][CHANGE_PATH_LEN];
    double base[UNC_MAX_TARGETS];
    bool integer[UNC_MAX_TARGETS];
    int ntargets;
} unc_input;

typedef struct uncertain_cfg {
    int sampling;            /* enum unc_sampling */
    int inner;               /* replications sharing one draw of the inputs */
    unc_input inputs[UNC_MAX_INPUTS];
    int ninputs;
    /* filled by the loader: the Spearman matrix, when any row was given */
    bool correlated;
    double corr[UNC_MAX_INPUTS][UNC_MAX_INPUTS];
} uncertain_cfg;

extern const char *const unc_sampling_names[];

/* The value target t of input `in` takes when the input draws x (the
 * input's op applied to the target's current value; integer keys
 * rounded). */
double unc_target_value(const unc_input *in, int t, double x);

/* Writes the "path=value" texts of one row of draws x[0..ninputs) into
 * out[0..max). Returns how many, or -1 when they do not fit. */
int unc_sets(const uncertain_cfg *u, const double *x, char (*out)[CHANGE_SET_LEN], int max);

#endif
