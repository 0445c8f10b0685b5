/* scenario_levers.c: the keys of the cost levers and of the world's price
 * changes and feature launches, and their checks: feature names must
 * exist, each lever has the keys its kind needs and no others, one
 * self-hosted model; each kind checks the rest itself (model names, a
 * batch price, a cached-input price). The kinds' keys come from their
 * descriptors (models/lever_<kind>.c), built into tables at load. */
#include <stddef.h>
#include <string.h>

#include "scenario_check.h"
#include "schema_macros.h"
#include "variant.h"

/* The keys every lever has; each kind's own follow (models/lever_<kind>.c). */
static const keyspec lever_common[] = {
    STR(lever, "name", name, 0, "", "lever name, shown in the savings waterfall (default: its type)"),
    ENUM(lever, "type", kind, NULL, KF_REQUIRED, NULL, NULL),   /* names and help from the registry */
    STR(lever, "feature", feature, 0, "", "the feature it applies to (empty: every feature)"),
    INT(lever, "start_month", start_month, 1, 600, 0, "month", "1", "the first month it works in"),
    INT(lever, "ramp_months", ramp_months, 0, 600, 0, "months", "0",
        "months to reach full strength, linearly (0: at once)"),
    END
};

static variant_set kinds;

static const char *kind_name(int i)
{
    return lever_kind_get(i)->name;
}

static const param_key *kind_keys(int i)
{
    return lever_kind_get(i)->keys;
}

static bool kind_shows(const char *key, const void *base)
{
    const lever *l = base;
    const lever_kind *k = lever_kind_of(l);
    return !k->shows || k->shows(l, key);
}

static const section *lever_variant(const void *base)
{
    const lever *l = base;
    return l->kind >= 0 && l->kind < kinds.nkinds ? &kinds.sections[l->kind] : NULL;
}

schema_variant lever_sec = { { lever_common, NULL }, lever_variant };

int scenario_levers_refresh(void)
{
    if (kinds.built && kinds.generation == lever_kind_generation())
        return TS_OK;
    if (variant_build(&kinds, lever_kind_count(), kind_name, kind_keys, offsetof(lever, params), kind_shows,
                      lever_common, NULL))
        return TS_ERR_RUNTIME;
    kinds.generation = lever_kind_generation();
    for (keyspec *k = kinds.table; k->name; k++)
        if (!strcmp(k->name, "type")) {
            k->enums = kinds.names;
            k->help = kinds.kinds_text;
        }
    lever_sec.sec.keys = kinds.table;
    return TS_OK;
}

static const keyspec price_event_keys[] = {
    INT(price_event, "month", month, 1, 600, KF_REQUIRED, "month", NULL, "the first month at the new prices"),
    STR(price_event, "model", model, 0, "", "the model (empty: every model)"),
    NUM(price_event, "factor", factor, 0, 0, GT0 | KF_REQUIRED, "times", NULL,
        "every price of the model times this (0.5: a 50% cut)"),
    END
};
static const section price_event_sec = { price_event_keys, NULL };

static const keyspec feature_event_keys[] = {
    INT(feature_event, "month", month, 1, 600, KF_REQUIRED, "month", NULL, "the first month with the launch"),
    STR(feature_event, "feature", feature, 0, "", "the feature that grows (empty: every feature)"),
    MAP(feature_event, "tokens", tokens, tokens_sec, "tokens added to each call"),
    NUM(feature_event, "calls", calls, 0, 0, POS, "calls per interaction", "0", "calls added to each interaction"),
    END
};
static const section feature_event_sec = { feature_event_keys, NULL };

static const keyspec timed_shock_keys[] = {
    STR(timed_shock, "name", name, 0, "", "what the shock is called in messages (empty: its type)"),
    ENUM(timed_shock, "type", type, shock_type_names, KF_REQUIRED, NULL,
         "usage: the heaviest customers' usage; model_prices: a model's prices; competitor_price: a "
         "competitor's entry price (a menu's wtp.competitor_price); wtp: the willingness to pay of customers signing "
         "up (needs a wtp block)"),
    NUM(timed_shock, "factor", factor, 0, 0, GT0 | KF_REQUIRED, "times", NULL,
        "what is shocked, times this at full strength (2: doubled, 0.7: down 30%)"),
    NUM(timed_shock, "top", top, 0, 1, KF_MIN_OPEN, "share of customers", "1",
        "usage: the heaviest share of customers it reaches, those above the usage law's (1 - top) quantile"),
    STR(timed_shock, "model", model, 0, "", "model_prices: the model (empty: every model)"),
    INT(timed_shock, "start_month", start, 1, 600, 0, "month", "1", "the first month with the shock"),
    INT(timed_shock, "ramp_months", ramp, 0, 600, 0, "months", "0",
        "months to full strength, linearly: its i-th month has i/ramp_months of it (0: at once)"),
    INT(timed_shock, "end_month", end, 0, 600, 0, "month", "0", "the last month with the shock (0: none, it stays)"),
    END
};
/* A shock is written back with the keys of its type only, so a resolved
 * scenario (show, the per-replication copies of uncertain inputs) reloads. */
static bool timed_shock_shows(const char *name, const void *base)
{
    const timed_shock *k = base;
    if (!strcmp(name, "top"))
        return k->type == SHOCK_USAGE;
    if (!strcmp(name, "model"))
        return k->type == SHOCK_MODEL_PRICES;
    return true;
}
const section timed_shock_sec = { timed_shock_keys, timed_shock_shows };

static const keyspec world_keys[] = {
    NUM(world, "price_deflation_yearly", deflation, 0, 1, KF_MAX_OPEN, "share per year", "0",
        "every model price falls this much a year, month by month"),
    LIST(world, "price_changes", prices, price_event, nprices, WORLD_MAX_EVENTS, price_event_sec, 0,
         "provider price changes from a month on"),
    LIST(world, "launches", features, feature_event, nfeatures, WORLD_MAX_EVENTS, feature_event_sec, 0,
         "feature launches that add tokens or calls from a month on (feature creep)"),
    END
};
const section world_sec = { world_keys, NULL };

static int feature_ref(check_ctx *c, const scenario *s, const char *name, int *index, const void *field,
                       const char *what)
{
    *index = -1;
    if (!name[0])
        return TS_OK;
    for (int i = 0; i < s->nfeatures; i++)
        if (!strcmp(s->features[i].name, name)) {
            *index = i;
            return TS_OK;
        }
    const char *near = NULL;
    int bd = 4;
    for (int i = 0; i < s->nfeatures; i++) {
        int d = schema_distance(name, s->features[i].name);
        if (d < bd) {
            bd = d;
            near = s->features[i].name;
        }
    }
    if (near)
        return scenario_fail_at(c, field, NULL, "unknown feature '%s' in %s (did you mean '%s'?)", name, what, near);
    return scenario_fail_at(c, field, NULL, "unknown feature '%s' in %s: the scenario's features are %s%s", name,
                            what, s->features[0].name, s->nfeatures > 1 ? " and others" : "");
}

/* A model reference: checked against the price table, its index returned. */
static int model_ref(check_ctx *c, const scenario *s, const char *name, int *index, const void *field,
                     const char *path)
{
    int rc = scenario_check_model(c, name, field, path);
    *index = rc ? -1 : cost_model_find(&s->prices, name);
    return rc;
}

static bool loader_given(void *loader, const void *field)
{
    return scenario_given(loader, field);
}

static int loader_fail(void *loader, const void *field, const void *fallback, const char *msg)
{
    return scenario_fail_at(loader, field, fallback, "%s", msg);
}

static int loader_model(void *loader, const char *name, const void *field, const char *path)
{
    return scenario_check_model(loader, name, field, path);
}

/* What every lever is checked for; then its kind's own check. */
static int check_lever(check_ctx *c, scenario *s, int i, const ytnode *node)
{
    lever *l = &s->levers[i];
    const lever_kind *k = lever_kind_of(l);
    int rc;
    char what[128];
    if (!l->name[0])
        snprintf(l->name, sizeof l->name, "%s", k->name);
    /* the cost plan settles one rented capacity a month */
    for (int j = 0; j < i && k->capacity; j++)
        if (lever_kind_of(&s->levers[j])->capacity)
            return scenario_fail_at(c, l, NULL, "a second self-hosting lever '%s': one self-hosted model per "
                                    "scenario", l->name);
    for (int j = 0; j < i; j++)
        if (!strcmp(l->name, s->levers[j].name))
            return scenario_fail_at(c, l, NULL, "duplicate lever name '%s': name each lever of the same type",
                                    l->name);
    char prefix[80];
    snprintf(prefix, sizeof prefix, "levers.%s", l->name);
    if ((rc = variant_check_keys(c, &kinds, l->kind, lever_params(l), node, l, NULL, prefix, "lever")))
        return rc;
    snprintf(what, sizeof what, "'levers.%s.feature'", l->name);
    if ((rc = feature_ref(c, s, l->feature, &l->feature_index, l->feature, what)))
        return rc;
    if (!k->check)
        return TS_OK;
    lever_check lc = { &s->prices, s->features, s->nfeatures, s->levers, i, c, loader_given, loader_fail,
                       loader_model };
    return k->check(l, &lc);
}

/* A shock in time: inside the horizon, ending after it starts, with the
 * keys of its type only. */
static int check_shock(check_ctx *c, scenario *s, int i)
{
    timed_shock *k = &s->world.shocks[i];
    const char *type = shock_type_names[k->type];
    if (!k->name[0])
        snprintf(k->name, sizeof k->name, "%s", type);
    char path[64];
    snprintf(path, sizeof path, "shocks.%d", i);
    if (k->start > s->horizon)
        return scenario_fail_at(c, &k->start, k, "invalid value for '%s.start_month': found %d, expected a month "
                                "within the horizon (1 to %d): shock '%s' would never happen", path, k->start,
                                s->horizon, k->name);
    if (k->end > 0 && k->end < k->start)
        return scenario_fail_at(c, &k->end, k, "invalid value for '%s.end_month': found %d, expected a month at or "
                                "after its start_month (%d), or 0 for none", path, k->end, k->start);
    if (k->type != SHOCK_USAGE && scenario_given(c, &k->top))
        return scenario_fail_at(c, &k->top, k, "unexpected key '%s.top': only a usage shock reaches the heaviest "
                                "customers, this one is of type %s", path, type);
    if (k->type != SHOCK_MODEL_PRICES && k->model[0])
        return scenario_fail_at(c, k->model, k, "unexpected key '%s.model': only a model_prices shock names a "
                                "model, this one is of type %s", path, type);
    if (k->type == SHOCK_COMPETITOR_PRICE && !(s->wtp.on && s->wtp.choice == CHOICE_MENU && s->wtp.competitor_price > 0))
        return scenario_fail_at(c, &k->type, k, "unsupported value for '%s.type': found competitor_price, which "
                                "needs a menu with a competitor (wtp.plan_choice: menu, wtp.competitor_price); "
                                "expected usage or model_prices", path);
    if (k->type == SHOCK_WTP && !s->wtp.on)
        return scenario_fail_at(c, &k->type, k, "unsupported value for '%s.type': found wtp, which needs a wtp "
                                "block (willingness to pay); expected usage or model_prices", path);
    k->model_index = -1;
    int rc;
    char what[96];
    snprintf(what, sizeof what, "%s.model", path);
    if (k->model[0] && (rc = model_ref(c, s, k->model, &k->model_index, k->model, what)))
        return rc;
    shock_prepare(k, &s->usage);
    return TS_OK;
}

int scenario_check_levers(check_ctx *c, scenario *s)
{
    int rc;
    const ytnode *list = ytree_get(c->root, "levers");
    for (int i = 0; i < s->nlevers; i++)
        if ((rc = check_lever(c, s, i, list && (size_t)i < list->n ? list->items[i] : NULL)))
            return rc;
    for (int i = 0; i < s->world.nprices; i++) {
        price_event *e = &s->world.prices[i];
        e->model_index = -1;
        if (e->model[0] && (rc = model_ref(c, s, e->model, &e->model_index, e->model, "world.price_changes")))
            return rc;
    }
    for (int i = 0; i < s->world.nfeatures; i++) {
        feature_event *e = &s->world.features[i];
        if ((rc = feature_ref(c, s, e->feature, &e->feature_index, e->feature, "'world.launches'")))
            return rc;
    }
    for (int i = 0; i < s->world.nshocks; i++)
        if ((rc = check_shock(c, s, i)))
            return rc;
    return TS_OK;
}
