/* scenario_plans.c: the plan keys of a scenario and their checks.
 *
 * The keys common to every plan are a table here; which of them a plan
 * takes, which it needs, and any keys of its own come from its type's
 * descriptor (models/plan.h), so the table the binder uses is built from
 * the plan type registry (scenario_plans_sync). A type's own keys sit at
 * the level of the common ones and are bound into plan.params. */
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "scenario.h"
#include "schema.h"
#include "schema_macros.h"
#include "scenario_check.h"

#define fail_at scenario_fail_at
#define given scenario_given

static const char *const unit_names[] = { "interaction", "ktokens", "cost", NULL };
static const char *const tiering_names[] = { "graduated", "volume", NULL };
static const char *const rounding_names[] = { "up", "down", "nearest", NULL };
static const char *const migrate_names[] = { "all", "new", NULL };
static const char *const billing_names[] = { "advance", "arrears", NULL };
static const char *const drawdown_names[] = { "oldest", "newest", NULL };

static const keyspec price_tier_keys[] = {
    NUM(price_tier, "up_to", up_to, 0, 0, POS, "units", "0", "the tier's upper bound (0 in the last tier: none)"),
    NUM(price_tier, "unit_price", unit_price, 0, 0, POS, "$ per unit", "0", "price of each unit in the tier"),
    NUM(price_tier, "flat_fee", flat_fee, 0, 0, POS, "$", "0", "charged once when usage reaches the tier"),
    END
};
static const section price_tier_sec = { price_tier_keys, NULL };

static const keyspec rate_keys[] = {
    STR(credit_rate, "model", model, KF_REQUIRED, NULL, "a model of the price table"),
    NUM(credit_rate, "credits", credits, 0, 0, GT0 | KF_REQUIRED, "credits per interaction", NULL,
        "what an interaction served by that model burns"),
    END
};
static const section rate_sec = { rate_keys, NULL };

static const keyspec sub_tier_keys[] = {
    STR(sub_tier, "name", name, KF_REQUIRED, NULL, "tier name, e.g. pro"),
    NUM(sub_tier, "price", price, 0, 0, POS | KF_REQUIRED, "$ per customer-month", NULL, "the tier's price"),
    NUM(sub_tier, "included", included, 0, 0, POS | KF_REQUIRED, "interactions per month", NULL,
        "the tier's quota"),
    END
};
static const section sub_tier_sec = { sub_tier_keys, NULL };

/* Plan keys that only some types take: a type names them in its needs or
 * takes (models/plan.h); the others apply to every type. The order is that
 * of the checks' messages. Each type's own keys join them. */
static const char *const plan_typed_keys[] = {
    "price", "included", "overage", "unit", "unit_price", "markup", "tiering", "usage_tiers", "package", "rounding",
    "tiers", "assigned_tiers", "assign_share", "upgrade_after", "upgrade_prob", "downgrade_after", "downgrade_prob",
    "per_outcome", "outcome_min", "outcome_max", "failure_rate", "quota", "soft_at", "soft_model", "soft_keep",
    "hard_cap", "pack_price", "pack_credits", "min_packs", "credits_per_interaction", "model_credits", "rollover",
    "drawdown",
};
#define PLAN_TYPED_COMMON (sizeof plan_typed_keys / sizeof plan_typed_keys[0])
#define PLAN_OWN_MAX (PLAN_TYPE_MAX * PLAN_TYPE_PARAMS_MAX)

/* Built from the registry by scenario_plans_sync: which type needs or
 * takes each typed key (bit per kind). */
static kind_rule plan_rules[PLAN_TYPED_COMMON + PLAN_OWN_MAX];
static size_t plan_nrules;

static bool plan_key_applies(const plan *pl, const char *name)
{
    return kind_rule_applies(plan_rules, plan_nrules, name, KIND_BIT(pl->kind));
}

static bool plan_shows(const char *name, const void *base)
{
    const plan *pl = base;
    if (!strcmp(name, "free_limit") || !strcmp(name, "free_model") || !strcmp(name, "conversion"))
        return pl->free_tier;
    if (!strcmp(name, "switch_month") || !strcmp(name, "migrate"))
        return pl->switch_to[0] != 0;
    if (!strcmp(name, "commit_months"))
        return pl->commit > 0;
    if (!strcmp(name, "shock_threshold"))
        return pl->shock_churn > 0;
    if (!plan_key_applies(pl, name))
        return false;
    if (!strcmp(name, "soft_at") || !strcmp(name, "soft_model") || !strcmp(name, "hard_cap")
        || !strcmp(name, "soft_keep"))
        return pl->quota > 0;
    const plan_type *t = plan_type_of(pl);
    return !t->shows || t->shows(pl, name);
}

/* The help of the type key: the built-in types in the words the key
 * reference has always used; registered ones are added with their summary. */
#define PLAN_TYPE_HELP "flat, tiered (subscription tiers with quotas), usage (metered), hybrid (base fee + overage), " \
                       "outcome or credits (prepaid packs)"

static const keyspec plan_keys[] = {
    STR(plan, "name", name, KF_REQUIRED, NULL, "plan name"),
    ENUM(plan, "type", kind, NULL, 0, "flat", PLAN_TYPE_HELP),   /* the names: plan_keys_sync */
    NUM(plan, "price", price, 0, 0, POS, "$ per customer-month", "0",
        "flat: the subscription; hybrid: the base fee; usage: an optional platform fee"),
    NUM(plan, "target_margin", target_margin, -10, 1, 0, "share of revenue", "0.5",
        "the gross margin the plan aims for, shown beside results"),
    NUM(plan, "per_seat", per_seat, 0, 0, POS, "$ per seat-month", "0", "a per-seat fee on top of any type's bill"),
    ENUM(plan, "billing", billing, billing_names, 0, "advance",
         "advance: whole months as soon as signed up; arrears: fixed fees prorated to the days signed up"),
    NUM(plan, "commit", commit, 0, 0, POS, "$ per period", "0",
        "committed spend: at the end of each period (and when a customer leaves) it pays what its bills fell short"),
    INT(plan, "commit_months", commit_months, 1, 600, 0, "months", "12", "the commitment's period"),
    NUM(plan, "minimum", minimum, 0, 0, POS, "$ per customer-month", "0", "the least a customer pays in a month (0: none)"),
    NUM(plan, "maximum", maximum, 0, 0, POS, "$ per customer-month", "0",
        "the most a customer pays in a month, a spending cap (0: none)"),
    NUM(plan, "included", included, 0, 0, POS, "interactions per month", "0", "hybrid: interactions in the base fee"),
    NUM(plan, "overage", overage, 0, 0, POS, "$ per interaction", "0",
        "hybrid: price of each interaction beyond the included ones; tiered: beyond the largest tier"),
    ENUM(plan, "unit", unit, unit_names, 0, "interaction",
         "usage: what is metered: interactions, thousands of tokens, or the inference cost (cost plus markup)"),
    NUM(plan, "unit_price", unit_price, 0, 0, POS, "$ per unit (or per package)", "0",
        "usage: price per unit when there are no usage tiers"),
    NUM(plan, "markup", markup, 0, 0, POS, "share of cost", "0", "usage with unit cost: bill = cost x (1 + markup)"),
    ENUM(plan, "tiering", tiering, tiering_names, 0, "graduated",
         "usage tiers: graduated (each unit at its tier's price) or volume (all units at the reached tier's price)"),
    LIST(plan, "usage_tiers", tiers, price_tier, ntiers, PLAN_MAX_TIERS, price_tier_sec, 0,
         "usage: price tiers with increasing bounds"),
    NUM(plan, "package", package, 0, 0, POS, "units", "0", "usage: units per package (0: none)"),
    ENUM(plan, "rounding", rounding, rounding_names, 0, "up", "usage with packages: how partial packages count"),
    LIST(plan, "tiers", subs, sub_tier, nsubs, PLAN_MAX_TIERS, sub_tier_sec, 0,
         "tiered: subscription tiers with increasing quotas"),
    { "assigned_tiers", K_BOOL, offsetof(plan, assigned), 0, 0, 0, 0, NULL, "false",
      "tiered: customers hold a tier chosen at sign-up instead of being billed the tier each month needs", NULL, NULL,
      0, 0 },
    NUM(plan, "assign_share", assign_share, 0, 0, GT0, "share of usage", "1",
        "tiered, assigned: a new customer picks the smallest tier covering this share of its usage"),
    INT(plan, "upgrade_after", upgrade_after, 0, 600, 0, "months", "0",
        "tiered, assigned: months in a row over the tier's quota before an upgrade may happen (0: never)"),
    NUM(plan, "upgrade_prob", upgrade_prob, 0, 1, 0, "probability per month", "1",
        "tiered, assigned: then, each month, the chance to move up a tier"),
    INT(plan, "downgrade_after", downgrade_after, 0, 600, 0, "months", "0",
        "tiered, assigned: months in a row within the lower tier's quota before a downgrade may happen (0: never)"),
    NUM(plan, "downgrade_prob", downgrade_prob, 0, 1, 0, "probability per month", "1",
        "tiered, assigned: then, each month, the chance to move down a tier"),
    NUM(plan, "per_outcome", per_outcome, 0, 0, POS, "$ per outcome", "0", "outcome: price of a resolved outcome"),
    NUM(plan, "outcome_min", outcome_min, 1, 0, POS, "interactions", "1",
        "outcome: fewest interactions an attempt takes"),
    NUM(plan, "outcome_max", outcome_max, 1, 0, POS, "interactions", "1",
        "outcome: most interactions an attempt takes (uniform between)"),
    NUM(plan, "failure_rate", failure_rate, 0, 1, KF_MAX_OPEN, "share of attempts", "0",
        "outcome: attempts that resolve nothing and bill nothing"),
    NUM(plan, "quota", quota, 0, 0, POS, "interactions per month", "0",
        "a monthly quota for soft limits and hard caps (0: none; not for tiered plans)"),
    NUM(plan, "soft_at", soft_at, 0, 0, POS, "share of the quota", "0",
        "past this share of the quota, interactions go to soft_model (0: no soft limit)"),
    STR(plan, "soft_model", soft_model, 0, "", "the cheaper model that serves past the soft limit"),
    NUM(plan, "soft_keep", soft_keep, 0, 1, 0, "share of demand", "1",
        "past the soft limit, the share of demand still made (a delay or throttle deters the rest)"),
    { "hard_cap", K_BOOL, offsetof(plan, hard_cap), 0, 0, 0, 0, NULL, "false",
      "refuse every interaction beyond the quota (counted as refused demand)", NULL, NULL, 0, 0 },
    { "free_tier", K_BOOL, offsetof(plan, free_tier), 0, 0, 0, 0, NULL, "false",
      "new customers start on a free tier and pay nothing until they convert", NULL, NULL, 0, 0 },
    NUM(plan, "free_limit", free_limit, 0, 0, POS, "interactions per month", "0",
        "free tier: interactions a month, beyond them refused (0: no limit)"),
    STR(plan, "free_model", free_model, 0, "", "free tier: the model free customers get (empty: the plan's own)"),
    NUM(plan, "conversion", conversion, 0, 1, 0, "probability per month", "0",
        "free tier: chance that a free customer starts paying, each month"),
    NUM(plan, "pack_credits", pack_credits, 0, 0, GT0, "credits", "1000", "credits: credits in a pack"),
    NUM(plan, "pack_price", pack_price, 0, 0, POS, "$ per pack", "0", "credits: the price of a pack"),
    NUM(plan, "min_packs", min_packs, 0, 0, POS, "packs per month", "1",
        "credits: packs bought every month; more are bought as credits run out"),
    NUM(plan, "credits_per_interaction", credits_per_interaction, 0, 0, GT0, "credits", "1",
        "credits: what an interaction burns on a model without its own rate"),
    LIST(plan, "model_credits", rates, credit_rate, nrates, PLAN_MAX_TIERS, rate_sec, 0,
         "credits: burn rates per model (a premium model burns more)"),
    INT(plan, "rollover", rollover, 0, 12, 0, "months", "0",
        "credits: months unused credits stay in the wallet (0: they expire at the month's end)"),
    ENUM(plan, "drawdown", drawdown, drawdown_names, 0, "oldest",
         "credits: which credits are used first: the oldest (closest to expiry) or the newest"),
    NUM(plan, "cap_churn", cap_churn, 0, 1, 0, "probability", "0",
        "chance that a customer refused by a cap in a month leaves this plan at the month's end"),
    NUM(plan, "shock_churn", shock_churn, 0, 1, 0, "probability", "0",
        "chance that a customer whose bill rose by more than shock_threshold leaves this plan"),
    NUM(plan, "shock_threshold", shock_threshold, 0, 0, POS, "share of the previous bill", "0.5",
        "a bill shock: a rise by more than this share over the previous month's bill"),
    STR(plan, "switch_to", switch_to, 0, "",
        "a pricing change: from switch_month on, bill as this other plan of the scenario"),
    INT(plan, "switch_month", switch_month, 1, 600, 0, "month", "1", "the first month billed after the change"),
    ENUM(plan, "migrate", migrate, migrate_names, 0, "all",
         "who the change reaches: all customers, or only those who sign up after it"),
    END
};
#define PLAN_COMMON_KEYS (sizeof plan_keys / sizeof plan_keys[0] - 1)

/* The plan keys as bound: the common ones, then every registered type's
 * own, at the same level (built by plan_keys_sync). */
static keyspec plan_all_keys[PLAN_COMMON_KEYS + PLAN_OWN_MAX + 1];
const section plan_sec = { plan_all_keys, plan_shows };
static char plan_type_help[1024];
static int plan_synced;             /* the number of types the tables were built for */

static const keyspec *plan_key_find(const char *name)
{
    for (const keyspec *k = plan_all_keys; k->name; k++)
        if (!strcmp(k->name, name))
            return k;
    return NULL;
}

static bool names_key(const char *const *list, const char *name)
{
    for (; list && *list; list++)
        if (!strcmp(*list, name))
            return true;
    return false;
}

/* A type's own key as the binder sees it: a variant key (its default
 * applies to plans of its type only) in plan.params. */
static keyspec own_key(const plan_param *q)
{
    static const int types[] = { [PLAN_PARAM_NUMBER] = K_NUM, [PLAN_PARAM_WHOLE] = K_INT, [PLAN_PARAM_FLAG] = K_BOOL };
    unsigned fl = KF_NO_DEFAULT | (isinf(q->min) ? KF_NO_MIN : 0) | (isinf(q->max) ? KF_NO_MAX : 0);
    return (keyspec){ q->name, types[q->kind], offsetof(plan, params) + q->offset, 0, q->min, q->max, fl, q->unit,
                      q->def, q->help, NULL, NULL, 0, 0 };
}

/* Builds the plan key table, the rules of which type takes which key and
 * the type key's choices from the registry, when a type was registered
 * since the last build. Fails when a type names a key that is no plan key
 * or declares one that is a common key. */
int scenario_plans_sync(ts_error *err)
{
    int nt = plan_type_count();
    if (nt == plan_synced)
        return TS_OK;
    size_t nk = PLAN_COMMON_KEYS;
    memcpy(plan_all_keys, plan_keys, nk * sizeof *plan_keys);
    plan_nrules = 0;
    for (size_t i = 0; i < PLAN_TYPED_COMMON; i++)
        plan_rules[plan_nrules++] = (kind_rule){ plan_typed_keys[i], 0, 0 };
    size_t len = (size_t)snprintf(plan_type_help, sizeof plan_type_help, "%s", PLAN_TYPE_HELP);
    for (int k = 0; k < nt; k++) {
        const plan_type *t = plan_type_at(k);
        for (const plan_param *q = t->params; q && q->name; q++) {
            for (size_t j = 0; j < PLAN_COMMON_KEYS; j++)
                if (!strcmp(plan_keys[j].name, q->name))
                    return ts_error_set(err, TS_ERR_INPUT, NULL, 0, 0, "plan type '%s' declares key '%s', which is "
                                        "a common plan key", t->name, q->name);
            plan_all_keys[nk++] = own_key(q);
            plan_rules[plan_nrules++] = (kind_rule){ q->name, q->required ? KIND_BIT(k) : 0,
                                                     q->required ? 0 : KIND_BIT(k) };
        }
        if (k >= plan_type_builtin_count() && len < sizeof plan_type_help)
            len += (size_t)snprintf(plan_type_help + len, sizeof plan_type_help - len, "; %s: %s", t->name,
                                    t->summary ? t->summary : "");
    }
    plan_all_keys[nk] = (keyspec){ 0 };
    for (int k = 0; k < nt; k++) {
        const plan_type *t = plan_type_at(k);
        for (int pass = 0; pass < 2; pass++)
            for (const char *const *n = pass ? t->takes : t->needs; n && *n; n++)
                if (!plan_key_find(*n))
                    return ts_error_set(err, TS_ERR_INPUT, NULL, 0, 0, "plan type '%s' names key '%s', which is "
                                        "no plan key", t->name, *n);
        for (size_t i = 0; i < PLAN_TYPED_COMMON; i++) {
            if (names_key(t->needs, plan_rules[i].name))
                plan_rules[i].needs |= KIND_BIT(k);
            if (names_key(t->takes, plan_rules[i].name))
                plan_rules[i].takes |= KIND_BIT(k);
        }
    }
    for (keyspec *k = plan_all_keys; k->name; k++)
        if (!strcmp(k->name, "type")) {
            k->enums = plan_type_names();
            k->help = plan_type_help;
        }
    plan_synced = nt;
    return TS_OK;
}

/* The field of plan key `name` in the plan at base, from the key table. */
static const void *plan_field(const void *base, const char *name)
{
    const keyspec *k = plan_key_find(name);
    return k ? (const char *)base + k->offset : NULL;
}

/* The loader's side of a type's checks (plan_checker in models/plan.h). */
static bool checker_given(const plan_checker *ck, const void *field)
{
    return given(ck->ctx, field);
}

static int checker_fail(const plan_checker *ck, const void *field, const void *fallback, const char *fmt, ...)
{
    char msg[640];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return fail_at(ck->ctx, field, fallback, "%s", msg);
}

static int checker_model(const plan_checker *ck, const char *name, const void *field, const char *path, int *index)
{
    check_ctx *c = ck->ctx;
    int rc = scenario_check_model(c, name, field, path);
    if (rc == TS_OK)
        *index = cost_model_find(&c->s->prices, name);
    return rc;
}

static int check_switch(check_ctx *c, plan *p)
{
    const scenario *s = c->s;
    p->switch_index = -1;
    if (!p->switch_to[0]) {
        if (given(c, &p->switch_month) || given(c, &p->migrate))
            return fail_at(c, given(c, &p->switch_month) ? (const void *)&p->switch_month : (const void *)&p->migrate,
                           NULL, "plan '%s' sets switch_month or migrate without 'switch_to'", p->name);
        return TS_OK;
    }
    for (int i = 0; i < s->nplans; i++)
        if (!strcmp(s->plans[i].name, p->switch_to))
            p->switch_index = i;
    if (p->switch_index < 0 || &s->plans[p->switch_index] == p)
        return fail_at(c, p->switch_to, NULL, "invalid value for 'plans.%s.switch_to': found '%s', expected the "
                       "name of another plan of the scenario", p->name, p->switch_to);
    if (s->plans[p->switch_index].switch_to[0])
        return fail_at(c, p->switch_to, NULL, "plan '%s' switches to '%s', which switches again: chain changes "
                       "are not supported", p->name, p->switch_to);
    if (p->switch_month > s->horizon)
        return fail_at(c, &p->switch_month, NULL, "invalid value for 'plans.%s.switch_month': found %d, expected "
                       "a month of the horizon (1 to %d)", p->name, p->switch_month, s->horizon);
    return TS_OK;
}

int scenario_check_plan(check_ctx *c, plan *p)
{
    int src = check_switch(c, p);
    if (src)
        return src;
    char prefix[80];
    snprintf(prefix, sizeof prefix, "plans.%s", p->name);
    const plan_type *t = plan_type_of(p);
    src = scenario_check_kind_keys(c, plan_rules, plan_nrules, KIND_BIT(p->kind), plan_field, p, &p->kind, p->name,
                                   prefix, t->name, "plan");
    if (src)
        return src;
    if ((p->soft_at > 0 || p->hard_cap) && p->quota <= 0)
        return fail_at(c, p->soft_at > 0 ? (const void *)&p->soft_at : (const void *)&p->hard_cap, NULL,
                       "plan '%s' has a %s but no quota: set plans.%s.quota", p->name,
                       p->soft_at > 0 ? "soft limit" : "hard cap", p->name);
    bool soft_does = p->soft_model[0] != 0 || p->soft_keep < 1;
    if ((p->soft_at > 0) != soft_does)
        return fail_at(c, p->soft_at > 0 ? (const void *)&p->soft_at
                          : p->soft_model[0] ? (const void *)p->soft_model : (const void *)&p->soft_keep, NULL,
                       "plan '%s': a soft limit needs soft_at and what it does: soft_model (a cheaper model), "
                       "soft_keep (a delay that deters demand), or both", p->name);
    p->soft_model_index = -1;
    if (p->soft_model[0]) {
        char path[160];
        snprintf(path, sizeof path, "plans.%s.soft_model", p->name);
        int rc = scenario_check_model(c, p->soft_model, p->soft_model, path);
        if (rc)
            return rc;
        p->soft_model_index = cost_model_find(&c->s->prices, p->soft_model);
    }
    p->free_model_index = -1;
    if (!p->free_tier && (p->free_limit > 0 || p->free_model[0] || given(c, &p->conversion)))
        return fail_at(c, p->free_limit > 0 ? (const void *)&p->free_limit
                          : p->free_model[0] ? (const void *)p->free_model : (const void *)&p->conversion, NULL,
                       "plan '%s' sets free-tier keys without 'free_tier: true'", p->name);
    if (p->free_model[0]) {
        char path[160];
        snprintf(path, sizeof path, "plans.%s.free_model", p->name);
        int rc = scenario_check_model(c, p->free_model, p->free_model, path);
        if (rc)
            return rc;
        p->free_model_index = cost_model_find(&c->s->prices, p->free_model);
    }
    if (given(c, &p->shock_threshold) && p->shock_churn <= 0)
        return fail_at(c, &p->shock_threshold, NULL, "plan '%s' sets shock_threshold without shock_churn", p->name);
    if (p->cap_churn > 0 && !p->hard_cap && !(p->free_tier && p->free_limit > 0))
        return fail_at(c, &p->cap_churn, NULL, "plan '%s' sets cap_churn but refuses nothing: add a hard cap or a "
                       "free-tier limit", p->name);
    if (given(c, &p->commit_months) && p->commit <= 0)
        return fail_at(c, &p->commit_months, NULL, "plan '%s' sets commit_months without a commit", p->name);
    if (p->maximum > 0 && p->maximum < p->minimum)
        return fail_at(c, &p->maximum, NULL,
                       "invalid value for 'plans.%s.maximum': found %g, expected at least the minimum (%g), or 0 "
                       "for no cap", p->name, p->maximum, p->minimum);
    /* the type's own checks last: its keys are known to apply by now */
    if (!t->check)
        return TS_OK;
    plan_checker ck = { c, checker_given, checker_fail, checker_model };
    return t->check(p, &ck);
}

/* The keys of a plan's type that the plan did not give take their
 * defaults (the binder leaves them: types may share their places). */
void scenario_plans_defaults(scenario *s, const schema_locs *locs)
{
    for (int i = 0; i < s->nplans; i++) {
        plan *p = &s->plans[i];
        for (const keyspec *k = plan_all_keys + PLAN_COMMON_KEYS; k->name; k++)
            if (plan_key_applies(p, k->name) && !schema_locs_find(locs, (char *)p + k->offset))
                schema_default(k, p);
    }
}

double *scenario_plan_number(plan *p, const char *key)
{
    ts_error err;
    ts_error_clear(&err);
    scenario_plans_sync(&err);
    const keyspec *k = plan_key_find(key);
    return k && k->type == K_NUM ? (double *)((char *)p + k->offset) : NULL;
}
