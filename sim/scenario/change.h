/* change.h: what a scenario declares for the investor's questions: its own
 * stress shocks and the parameters of its sensitivity analysis, and the
 * machinery that turns a relative change ("model prices up 50%") into the
 * absolute --set overrides the loader applies.
 *
 * A change names a scenario value by the same dotted path as --set, where a
 * path segment may be `*` for every item of a list (prices.models.*.
 * input_per_mtok). It is resolved against the scenario with every default
 * filled in, so "times 2" works on a value the file never wrote. */
#ifndef TS_CHANGE_H
#define TS_CHANGE_H

#include <stdbool.h>

#include "sim/core/error.h"

#define CHANGE_PATH_LEN 160
#define SHOCK_MAX 16
#define SHOCK_MAX_CHANGES 8
#define SHOCK_NAME_LEN 48
#define SENS_MAX_PARAMS 16
/* one --set text: a path and a number */
#define CHANGE_SET_LEN (CHANGE_PATH_LEN + 40)
/* concrete values one change may touch once `*` is expanded */
#define CHANGE_MAX_EXPANSION 64

enum change_op { CHANGE_TIMES, CHANGE_PLUS, CHANGE_TO };

typedef struct change_cfg {
    char path[CHANGE_PATH_LEN];
    int op;                  /* enum change_op */
    double value;
} change_cfg;

typedef struct shock_cfg {
    char name[SHOCK_NAME_LEN];
    char description[160];
    change_cfg changes[SHOCK_MAX_CHANGES];
    int nchanges;
} shock_cfg;

typedef struct stress_cfg {
    bool standard;           /* run the standard battery besides the scenario's shocks */
    shock_cfg shocks[SHOCK_MAX];
    int nshocks;
} stress_cfg;

typedef struct sens_param {
    char path[CHANGE_PATH_LEN];
    double low, high;        /* absolute values; both given or neither (then +-pct) */
    bool has_range;          /* set by the loader */
} sens_param;

typedef struct sensitivity_cfg {
    double pct;              /* move each parameter by +-pct percent when no range is given */
    sens_param params[SENS_MAX_PARAMS];
    int nparams;
} sensitivity_cfg;

/* How customer intensities are sampled (variance reduction). */
enum sampling_kind { SAMPLING_RANDOM, SAMPLING_STRATIFIED };

typedef struct sampling_cfg {
    int intensities;         /* enum sampling_kind */
    bool antithetic;         /* replications in pairs, the second with mirrored intensities */
} sampling_cfg;

extern const char *const change_op_names[];
extern const char *const sampling_kind_names[];

struct scenario;

/* Resolves `nch` changes against the resolved scenario `s` into "path=value"
 * texts (wildcards expanded, list items by index), appended to
 * out[*nout..max). Returns TS_OK, or TS_ERR_INPUT naming the change whose
 * path is unknown, not a number, or expands to too many values. */
int change_resolve(const struct scenario *s, const change_cfg *ch, int nch, char (*out)[CHANGE_SET_LEN], int max,
                   int *nout, ts_error *err);

/* Splits "PATH=A:B[:C]" (or "PATH" alone) into the path (at most
 * CHANGE_PATH_LEN - 1 characters) and its numbers into v[0..2]. Returns how
 * many numbers there are (0, 2 or 3), or -1 when the text is malformed: an
 * empty or long path, or a part after '=' that is not a finite number. */
int change_range_parse(const char *arg, char *path, double *v);

/* The current numeric value at a concrete or wildcard path (the first match
 * for a wildcard). Returns TS_OK or TS_ERR_INPUT. */
int change_value_get(const struct scenario *s, const char *path, double *value, ts_error *err);

#endif
