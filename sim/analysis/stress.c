/* stress.c: the shock battery and its run against the baseline.
 *
 * Standard shocks are written as absolute overrides computed from the
 * resolved scenario, in the terms of its own usage law, so that "a heavier
 * tail" means something for a Pareto, a lognormal, a concentration, a
 * quantile table or segments alike. */
#include "stress.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "probe.h"

const int stress_check_months[STRESS_NCHECKS] = { 12, 24, 36 };

static void add_set(stress_shock *k, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add_set(stress_shock *k, const char *fmt, ...)
{
    if (k->nsets == STRESS_MAX_SETS)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(k->sets[k->nsets++], CHANGE_SET_LEN, fmt, ap);
    va_end(ap);
}

static stress_shock *shock_new(stress_shock *v, int *n, const char *name, const char *desc)
{
    stress_shock *k = &v[(*n)++];
    memset(k, 0, sizeof *k);
    snprintf(k->name, sizeof k->name, "%s", name);
    snprintf(k->description, sizeof k->description, "%s", desc);
    k->applicable = true;
    return k;
}

static void heavier_tail(const scenario *s, stress_shock *k)
{
    const usage_law *law = usage_law_of(&s->usage);
    char set[CHANGE_SET_LEN];
    if (law->heavier_tail && law->heavier_tail(&s->usage, set, sizeof set) > 0)
        add_set(k, "%s", set);
    else
        k->applicable = false;   /* a constant intensity has no tail */
}

/* The share above the power threshold is S = (1 - b) s + b for a boost b
 * and a tail share s; doubling it takes b' = (2S - s) / (1 - s). */
static void more_power_users(const scenario *s, stress_shock *k)
{
    const usage_dist *u = &s->usage;
    const usage_law *law = usage_law_of(u);
    double tail = law->power_share ? law->power_share(u) : 1 - u->bounds.from[2];
    double S = (1 - u->power_boost) * tail + u->power_boost, b = (2 * S - tail) / (1 - tail);
    if (tail <= 0 || !(b < 1))
        k->applicable = false;
    else
        add_set(k, "usage.power_boost=%.17g", b);
}

static void model_prices(const scenario *s, stress_shock *k, double f)
{
    for (int i = 0; i < s->prices.nmodels; i++) {
        const model_price *m = &s->prices.models[i];
        add_set(k, "prices.models.%d.input_per_mtok=%.17g", i, f * m->input);
        add_set(k, "prices.models.%d.output_per_mtok=%.17g", i, f * m->output);
        /* the optional prices too, when the model has them (-1: not given) */
        const struct { const char *key; double v; } opt[] = {
            { "cached_input_per_mtok", m->cached_input }, { "cache_write_per_mtok", m->cache_write },
            { "long_input_per_mtok", m->long_input }, { "long_output_per_mtok", m->long_output },
            { "long_cached_input_per_mtok", m->long_cached },
        };
        for (size_t j = 0; j < sizeof opt / sizeof opt[0]; j++)
            if (opt[j].v >= 0 && (j < 2 || m->long_above > 0))
                add_set(k, "prices.models.%d.%s=%.17g", i, opt[j].key, f * opt[j].v);
    }
}

/* Half the cache hits: the features' cached input, the prompt-cache levers'
 * hit ratio and the semantic caches' hit rate. */
static void cache_hits_halved(const scenario *s, stress_shock *k)
{
    k->applicable = false;
    for (int f = 0; f < s->nfeatures; f++)
        if (s->features[f].cached_share > 0) {
            add_set(k, "features.%d.cached_share=%.17g", f, s->features[f].cached_share / 2);
            k->applicable = true;
        }
    for (int i = 0; i < s->nlevers; i++) {
        const lever_kind *lk = lever_kind_of(&s->levers[i]);
        if (!lk->hits_halved)
            continue;
        char path[32];
        lever_sets sets = { .n = 0 };
        snprintf(path, sizeof path, "levers.%d", i);
        lk->hits_halved(&s->levers[i], path, &sets);
        for (int j = 0; j < sets.n; j++)
            add_set(k, "%s", sets.v[j]);
        k->applicable = true;
    }
}

static timed_shock *add_timed(stress_shock *k, const char *name, int type, double factor, int start)
{
    timed_shock *t = &k->timed[k->ntimed++];
    memset(t, 0, sizeof *t);
    snprintf(t->name, sizeof t->name, "%s", name);
    t->type = type, t->factor = factor, t->top = 1, t->start = start, t->model_index = -1;
    return t;
}

/* Shocks in time (models/shock.h): the heaviest 5% by the law's own
 * quantile, whatever the law (none stands out under a constant intensity),
 * and a price rise a year in. */
static void timed_battery(const scenario *s, stress_shock *v, int *n)
{
    stress_shock *k = shock_new(v, n, "top5_x2", "the heaviest 5% of customers use twice as much");
    add_timed(k, "top5_x2", SHOCK_USAGE, 2, 1)->top = 0.05;
    k->applicable = usage_dist_top_share(&s->usage, 0.05) > 0.05 + 1e-9;
    k = shock_new(v, n, "prices_up_50_m12", "every model price up 50% from month 12");
    add_timed(k, "prices_up_50_m12", SHOCK_MODEL_PRICES, 1.5, 12);
    k->applicable = s->horizon >= 12;
    /* demand (docs/pricing.md): the customers' WTP and elasticity, and a
     * competitor cutting its price; listed only with a wtp block (and a
     * competitor), so other scenarios' batteries are as they were */
    if (s->wtp.on) {
        k = shock_new(v, n, "wtp_down_20", "every new customer's willingness to pay down 20%");
        add_timed(k, "wtp_down_20", SHOCK_WTP, 0.8, 1);
        k = shock_new(v, n, "elasticity_x1_5", "usage 1.5 times as elastic to the marginal price");
        k->applicable = s->wtp.choice == CHOICE_MENU && s->wtp.usage_elasticity > 0;
        if (k->applicable)
            add_set(k, "wtp.usage_elasticity=%.17g", 1.5 * s->wtp.usage_elasticity);
    }
    if (s->wtp.on && s->wtp.choice == CHOICE_MENU && s->wtp.competitor_price > 0) {
        k = shock_new(v, n, "price_war", "the competitor's price down 30%");
        add_timed(k, "price_war", SHOCK_COMPETITOR_PRICE, 0.7, 1);
    }
}

int stress_battery(const scenario *s, stress_shock *v, int *n, ts_error *err)
{
    *n = 0;
    if (s->stress.standard) {
        heavier_tail(s, shock_new(v, n, "heavier_tail", "a heavier tail of usage: the heaviest customers use more"));
        more_power_users(s, shock_new(v, n, "power_users_x2",
                                      "twice the share of customers above the power-user threshold"));
        model_prices(s, shock_new(v, n, "prices_up_50", "every model price up 50%"), 1.5);
        model_prices(s, shock_new(v, n, "prices_down_80", "every model price down 80%"), 0.2);
        cache_hits_halved(s, shock_new(v, n, "cache_hits_halved",
                                       "half the cache hits: cached input, prompt-cache reads, semantic-cache answers"));
        stress_shock *k = shock_new(v, n, "churn_doubled", "customers leave twice as often");
        k->applicable = s->customers.churn > 0;
        add_set(k, "customers.churn_monthly=%.17g", fmin(2 * s->customers.churn, 0.99));
        k = shock_new(v, n, "usage_growth", "every customer's usage grows 3% a month with tenure (43% a year)");
        add_set(k, "usage.drift_monthly=%.17g", (1 + s->usage.drift) * 1.03 - 1);
        timed_battery(s, v, n);
    }
    for (int i = 0; i < s->stress.nshocks; i++) {
        const shock_cfg *c = &s->stress.shocks[i];
        stress_shock *k = shock_new(v, n, c->name, c->description[0] ? c->description : "the scenario's own shock");
        if (change_resolve(s, c->changes, c->nchanges, k->sets, STRESS_MAX_SETS, &k->nsets, err))
            return err->code;
    }
    return TS_OK;
}

void stress_free(stress_result *r)
{
    free(r->shocks);
    free(r->rows);
    free(r->paths);
    memset(r, 0, sizeof *r);
}

static void fill_row(stress_result *r, int k, int p, const probe *pr, const double *base, double *work, double *d)
{
    stress_row *w = stress_at(r, k, p);
    const summary *sm = &pr->sm;
    const ts_stat *m = sum_total(sm, p, TOT_MARGIN);
    w->ran = true;
    w->mean = m->mean, w->p5 = m->p5, w->p50 = m->p50, w->p95 = m->p95;
    w->p_below_50 = sm->p_margin_below_50[p];
    w->p_below_0 = sm->p_margin_below_0[p];
    w->profit = sum_total(sm, p, TOT_GROSS_PROFIT)->mean;
    for (int c = 0; c < STRESS_NCHECKS; c++) {
        int mo = stress_check_months[c] - 1;
        const ts_stat *x = mo < r->nmonths ? sum_month(sm, p, mo, MET_MARGIN) : NULL;
        w->at[c][0] = x ? x->p5 : NAN;
        w->at[c][1] = x ? x->p50 : NAN;
        w->at[c][2] = x ? x->p95 : NAN;
    }
    double *path = &r->paths[((size_t)k * r->nplans + p) * r->nmonths];
    int last_below = -1;
    w->below_months = 0;
    for (int mo = 0; mo < r->nmonths; mo++) {
        path[mo] = sum_month(sm, p, mo, MET_MARGIN)->mean;
        if (!(path[mo] >= r->target[p])) {
            w->below_months++;
            last_below = mo;
        }
    }
    w->recover_month = last_below < 0 ? 0 : last_below == r->nmonths - 1 ? -1 : last_below + 2;
    probe_rep_totals(pr, p, TOT_MARGIN, d);
    for (int i = 0; i < r->nreps; i++)
        d[i] -= base[(size_t)p * r->nreps + i];
    /* the shocked run's demand and law carry the difference's tail */
    ts_stat ds = stat_compute_law(&pr->rr, d, r->nreps, r->nmonths, work);
    w->d_mean = ds.mean, w->d_lo = ds.ci_lo, w->d_hi = ds.ci_hi;
}

int stress_run(const char *file, const char *const *sets, int nsets, int threads, volatile sig_atomic_t *stop,
               stress_result *out, ts_error *err)
{
    memset(out, 0, sizeof *out);
    probe pr;
    char *text = probe_text(file);
    probe_opts po = { threads, stop, 0, text };
    probe_meter_plan(1);
    int rc = probe_run(&pr, file, sets, nsets, NULL, 0, &po, err);
    if (rc) {
        free(text);
        return rc;
    }
    const scenario *s = pr.s;
    out->shocks = calloc(STRESS_MAX_SHOCKS + 1, sizeof *out->shocks);
    if (!out->shocks) {
        free(text);
        probe_free(&pr);
        return ts_error_set(err, TS_ERR_RUNTIME, NULL, 0, 0, "out of memory");
    }
    snprintf(out->shocks[0].name, SHOCK_NAME_LEN, "baseline");
    snprintf(out->shocks[0].description, sizeof out->shocks[0].description, "the scenario as written");
    out->shocks[0].applicable = true;
    int n = 0;
    if ((rc = stress_battery(s, out->shocks + 1, &n, err))) {
        free(text);
        probe_free(&pr);
        stress_free(out);
        return rc;
    }
    out->nshocks = n + 1;
    out->nplans = s->nplans;
    out->nmonths = s->horizon;
    out->nreps = pr.rr.nreps;
    for (int p = 0; p < s->nplans; p++) {
        snprintf(out->plan_names[p], PLAN_NAME_LEN, "%s", s->plans[p].name);
        out->target[p] = 100 * s->plans[p].target_margin;
    }
    out->rows = calloc((size_t)out->nshocks * out->nplans, sizeof *out->rows);
    out->paths = calloc((size_t)out->nshocks * out->nplans * out->nmonths, sizeof *out->paths);
    double *base = malloc((size_t)out->nplans * out->nreps * sizeof *base);
    double *work = malloc(2 * (size_t)out->nreps * sizeof *work);
    if (!out->rows || !out->paths || !base || !work) {
        free(text);
        probe_free(&pr);
        free(base);
        free(work);
        stress_free(out);
        return ts_error_set(err, TS_ERR_RUNTIME, NULL, 0, 0, "out of memory");
    }
    for (int p = 0; p < out->nplans; p++)
        probe_rep_totals(&pr, p, TOT_MARGIN, base + (size_t)p * out->nreps);
    for (int p = 0; p < out->nplans; p++)
        fill_row(out, 0, p, &pr, base, work, work + out->nreps);
    tail_check(pr.s, &pr.rr, &out->tail);
    probe_free(&pr);
    for (int k = 1; k < out->nshocks; k++)
        probe_meter_plan(out->shocks[k].applicable);
    for (int k = 1; k < out->nshocks && rc == TS_OK; k++) {
        stress_shock *sh = &out->shocks[k];
        if (!sh->applicable)
            continue;
        const char *extra[STRESS_MAX_SETS];
        for (int i = 0; i < sh->nsets; i++)
            extra[i] = sh->sets[i];
        if ((rc = probe_run_shocked(&pr, file, sets, nsets, extra, sh->nsets, sh->timed, sh->ntimed, &po, err))) {
            /* name the shock: the value it made is what the loader refused */
            if (rc == TS_ERR_INPUT)
                ts_error_prefix(err, "shock '%s' makes an invalid scenario: ", sh->name);
            break;
        }
        for (int p = 0; p < out->nplans; p++)
            fill_row(out, k, p, &pr, base, work, work + out->nreps);
        probe_free(&pr);
    }
    free(base);
    free(work);
    free(text);
    if (rc)
        stress_free(out);
    return rc;
}
