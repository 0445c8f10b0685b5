/* scenario_analysis.c: the keys a scenario uses to declare its own stress
 * shocks and the parameters of its sensitivity analysis, and their checks
 * (every path must name a number of the resolved scenario). */
#include <math.h>
#include <string.h>

#include "scenario_check.h"
#include "schema_macros.h"

#define ANY (KF_NO_MIN | KF_NO_MAX)

static const keyspec change_keys[] = {
    STR(change_cfg, "path", path, KF_REQUIRED, NULL,
        "a scenario value, as for --set; `*` stands for every item of a list (prices.models.*.input_per_mtok)"),
    ENUM(change_cfg, "op", op, change_op_names, 0, "times", "times: multiply the value; plus: add to it; to: replace it"),
    NUM(change_cfg, "value", value, 0, 0, ANY | KF_REQUIRED, "-", NULL, "the factor, the amount or the new value"),
    END
};
static const section change_sec = { change_keys, NULL };

static const keyspec shock_keys[] = {
    STR(shock_cfg, "name", name, KF_REQUIRED, NULL, "shock name, e.g. price_war"),
    STR(shock_cfg, "description", description, 0, "", "what the shock stands for"),
    LIST(shock_cfg, "changes", changes, change_cfg, nchanges, SHOCK_MAX_CHANGES, change_sec, KF_REQUIRED,
         "the values the shock changes"),
    END
};
static const section shock_sec = { shock_keys, NULL };

static const keyspec stress_keys[] = {
    { "standard", K_BOOL, offsetof(stress_cfg, standard), 0, 0, 0, 0, NULL, "true",
      "run the standard battery (heavier tail, twice the power users, model prices up 50% and down 80%, cache "
      "hits halved, churn doubled, usage growth) besides the shocks below", NULL, NULL, 0, 0 },
    LIST(stress_cfg, "shocks", shocks, shock_cfg, nshocks, SHOCK_MAX, shock_sec, 0, "the scenario's own shocks"),
    END
};
const section stress_sec = { stress_keys, NULL };

static const keyspec param_keys[] = {
    STR(sens_param, "path", path, KF_REQUIRED, NULL, "a scenario value, as for --set"),
    NUM(sens_param, "low", low, 0, 0, ANY, "-", "0", "its low value (with high; without both: -pct%)"),
    NUM(sens_param, "high", high, 0, 0, ANY, "-", "0", "its high value (with low; without both: +pct%)"),
    END
};
/* low and high only when given: a given range has low < high (checked
 * below), so equal values are the defaults, and written out they would
 * read back as a range that is not one. */
static bool param_shows(const char *name, const void *base)
{
    const sens_param *p = base;
    return strcmp(name, "low") && strcmp(name, "high") ? true : p->low < p->high;
}
static const section param_sec = { param_keys, param_shows };

static const keyspec sensitivity_keys[] = {
    NUM(sensitivity_cfg, "pct", pct, 0, 100, KF_MIN_OPEN, "percent", "20",
        "move each parameter without a range this many percent down and up"),
    LIST(sensitivity_cfg, "params", params, sens_param, nparams, SENS_MAX_PARAMS, param_sec, 0,
         "the parameters of the tornado (none: a standard set chosen from the scenario)"),
    END
};
const section sensitivity_sec = { sensitivity_keys, NULL };

const char *const sampling_kind_names[] = { "random", "stratified", NULL };

static const keyspec sampling_keys[] = {
    ENUM(sampling_cfg, "intensities", intensities, sampling_kind_names, 0, "random",
         "random: each customer's intensity drawn independently; stratified: Latin hypercube, one draw per "
         "equal-probability stratum within blocks of sign-ups (the initial customers, then 256 at a time)"),
    { "antithetic", K_BOOL, offsetof(sampling_cfg, antithetic), 0, 0, 0, 0, NULL, "false",
      "replications in pairs, the second drawing intensities from 1 - u where the first drew u (needs an even "
      "number of replications)", NULL, NULL, 0, 0 },
    END
};
const section sampling_sec = { sampling_keys, NULL };

int scenario_check_analysis(check_ctx *c, scenario *s)
{
    if (s->sampling.antithetic && s->replications % 2)
        return scenario_fail_at(c, &s->sampling.antithetic, NULL,
                                "antithetic sampling pairs replications, but 'replications' is %d: expected an even "
                                "number", s->replications);
    char sets[CHANGE_MAX_EXPANSION][CHANGE_SET_LEN];
    const stress_cfg *st = &s->stress;
    for (int i = 0; i < st->nshocks; i++) {
        const shock_cfg *sh = &st->shocks[i];
        for (int j = 0; j < i; j++)
            if (!strcmp(sh->name, st->shocks[j].name))
                return scenario_fail_at(c, sh->name, NULL, "duplicate shock name '%s'", sh->name);
        for (int k = 0; k < sh->nchanges; k++) {
            ts_error inner;
            ts_error_clear(&inner);
            int n = 0;
            if (change_resolve(s, &sh->changes[k], 1, sets, CHANGE_MAX_EXPANSION, &n, &inner))
                return scenario_fail_at(c, sh->changes[k].path, NULL, "invalid change in shock '%s': %s", sh->name,
                                        inner.message);
        }
    }
    int lrc = scenario_check_levers(c, s);
    if (lrc)
        return lrc;
    sensitivity_cfg *sv = &s->sensitivity;
    for (int i = 0; i < sv->nparams; i++) {
        sens_param *p = &sv->params[i];
        bool lo = scenario_given(c, &p->low), hi = scenario_given(c, &p->high);
        if (lo != hi)
            return scenario_fail_at(c, lo ? (void *)&p->low : (void *)&p->high, NULL,
                                    "sensitivity parameter '%s' has '%s' without '%s': give both, or neither for "
                                    "+-%g%%", p->path, lo ? "low" : "high", lo ? "high" : "low", sv->pct);
        p->has_range = lo;
        if (lo && !(p->low < p->high))
            return scenario_fail_at(c, &p->low, NULL,
                                    "invalid range for sensitivity parameter '%s': low %g is not below high %g",
                                    p->path, p->low, p->high);
        double v;
        ts_error inner;
        ts_error_clear(&inner);
        if (change_value_get(s, p->path, &v, &inner))
            return scenario_fail_at(c, p->path, NULL, "invalid sensitivity parameter: %s", inner.message);
    }
    return TS_OK;
}
