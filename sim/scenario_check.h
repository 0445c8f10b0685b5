/* scenario_check.h: the context of the checks that span several keys,
 * shared by scenario.c and scenario_analysis.c. Private to the loader. */
#ifndef TS_SCENARIO_CHECK_H
#define TS_SCENARIO_CHECK_H

#include <stdbool.h>

#include "error.h"
#include "scenario.h"
#include "schema.h"
#include "ytree.h"

typedef struct check_ctx {
    const scenario *s;
    const schema_locs *locs;
    const ytnode *root;
    ts_error *err;
} check_ctx;

/* Fills the error at the origin of `field` (or of `fallback`, or the file
 * when neither was written in it) and returns TS_ERR_INPUT. */
int scenario_fail_at(check_ctx *c, const void *field, const void *fallback, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Whether `field` was written in the file or by --set (not a default). */
bool scenario_given(check_ctx *c, const void *field);

/* Checks that model `name`, written at `field`, is in the price table;
 * the message names `path` and the nearest model. */
int scenario_check_model(check_ctx *c, const char *name, const void *field, const char *path);

/* The key tables and checks of the stress and sensitivity sections. */
extern const section stress_sec, sensitivity_sec, sampling_sec, lever_sec, world_sec, tokens_sec;
int scenario_check_analysis(check_ctx *c, scenario *s);
int scenario_check_levers(check_ctx *c, scenario *s);

#endif
