/* scenario_check.h: the context of the checks that span several keys,
 * shared by scenario.c and scenario_analysis.c. Private to the loader. */
#ifndef TS_SCENARIO_CHECK_H
#define TS_SCENARIO_CHECK_H

#include <stdbool.h>

#include "sim/core/error.h"
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

/* Keys that apply to some kinds of a section only (usage distributions,
 * plan types, lever types): bit k of `needs` says kind k must give the
 * key, of `takes` that it may. */
typedef struct kind_rule {
    const char *name;
    unsigned needs, takes;
} kind_rule;
#define KIND_BIT(k) (1u << (k))

/* Whether key `name` applies to kind bit `bit` (keys without a rule do). */
bool kind_rule_applies(const kind_rule *rules, size_t n, const char *name, unsigned bit);

/* Checks a bound section of kind bit `bit` against its rules: a needed key
 * missing (reported at `anchor`, else `fallback`) or a given key the kind
 * does not take. field() maps a key name to its field in base. Messages
 * name 'PREFIX.KEY' and "a KIND NOUN". */
int scenario_check_kind_keys(check_ctx *c, const kind_rule *rules, size_t n, unsigned bit,
                             const void *(*field)(const void *base, const char *name), const void *base,
                             const void *anchor, const void *fallback, const char *prefix, const char *kind,
                             const char *noun);

/* Checks that model `name`, written at `field`, is in the price table;
 * the message names `path` and the nearest model. */
int scenario_check_model(check_ctx *c, const char *name, const void *field, const char *path);

/* The plan keys (scenario_plans.c), built from the plan type registry by
 * scenario_plans_sync: call it before binding or writing plans (it fails
 * when a registered type names keys that are no plan keys). Once bound,
 * scenario_plans_defaults gives each plan its type's own keys' defaults,
 * and scenario_check_plan checks one plan (common checks, then its type's). */
extern const section plan_sec;
int scenario_plans_sync(ts_error *err);
void scenario_plans_defaults(scenario *s, const schema_locs *locs);
int scenario_check_plan(check_ctx *c, plan *p);

/* The key tables and checks of the stress and sensitivity sections. */
extern const section stress_sec, sensitivity_sec, sampling_sec, world_sec, tokens_sec, timed_shock_sec;
int scenario_check_analysis(check_ctx *c, scenario *s);
int scenario_check_levers(check_ctx *c, scenario *s);

/* The uncertain section's keys and checks (scenario_uncertain.c), and the
 * valid range of the number key at a concrete path (list items by index or
 * name): its ends (infinite when unbounded), KF_* flags and whether it is
 * an integer. Returns 0, or -1 when the path names no number key. */
extern const section uncertain_sec;
int scenario_check_uncertain(check_ctx *c, scenario *s);
int scenario_key_range(const char *path, double *lo, double *hi, unsigned *flags, bool *integer);

/* The levers' keys, built from the registry of lever kinds: rebuilt by
 * scenario_levers_refresh when a kind was registered since (TS_OK, or
 * TS_ERR_RUNTIME when out of memory). */
extern schema_variant lever_sec;
int scenario_levers_refresh(void);

#endif
