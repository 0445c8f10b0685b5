/* engine.c: one replication as a discrete-event simulation, and many
 * replications across cores.
 *
 * Events: SIGNUP (a customer arrives), CHURN (a customer leaves) and
 * MONTH_CLOSE (every customer's month is priced and billed). A customer's
 * usage is accrued lazily: only when an event concerns it (its churn, or a
 * month close) are the interactions since its last accrual drawn, as one
 * count for the whole interval. Arrivals in a month are Poisson with mean
 * new_per_month + growth_rate * (customers active at the month's start), at
 * uniform times within the month; lifetimes are exponential with hazard
 * -ln(1 - churn_monthly) per month. */
#include "engine.h"
#include "costplan.h"
#include "ranks.h"
#include "topshare.h"

#include <gsl/gsl_randist.h>
#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>

#include "models/demand.h"
#include "models/randist.h"
#include "models/wallet.h"
#include "eventq.h"
#include "finance.h"
#include "guard.h"
#include "outer.h"
#include "rng.h"

const char *const metric_names[MET_COUNT] = {
    "customers", "new_customers", "churned", "interactions", "tokens", "revenue", "model_cost",
    "retrieval_cost", "inference_cost", "infra_cost", "payment_cost", "other_cost", "gross_profit",
    "gross_margin_pct", "cost_per_interaction", "cost_per_customer", "inference_cost_per_customer",
    "revenue_per_customer", "tokens_per_interaction", "top1_cost_share_pct", "top5_cost_share_pct",
    "top10_cost_share_pct", "top20_cost_share_pct", "losing_customers_pct", "refused_interactions",
    "quota_75pct_customers_pct", "quota_90pct_customers_pct", "soft_limited_customers_pct", "capped_customers_pct",
    "free_customers_pct", "free_cost_share_pct", "conversions", "credit_breakage", "commit_trueup", "upgrades", "downgrades",
    "customers_lost_to_plan", "limit_reached_customers_pct", "limit_reached_day", "top20_inference_cost",
    "top20_revenue"
};

const char *const seg_metric_names[SEG_COUNT] = {
    "customer_months", "interactions", "inference_cost", "other_cost", "revenue"
};

#include "engine_internal.h"

static void ws_free(workspace *w)
{
    if (w->rng)
        gsl_rng_free(w->rng);
    if (w->irng)
        gsl_rng_free(w->irng);
    free(w->perm);
    for (int p = 0; p < PLAN_MAX; p++)
        if (w->plan_rng[p])
            gsl_rng_free(w->plan_rng[p]);
    evq_destroy(w->q);
    free(w->c);
    free(w->scratch);
    free(w->bills);
    free(w->qs);
    free(w->lots);
    free(w->fin_base);
    if (w->crn)
        gsl_rng_free(w->crn);
}

static int ws_init(workspace *w, const scenario *s)
{
    memset(w, 0, sizeof *w);
    w->rng = gsl_rng_alloc(ts_rng_xoshiro256);
    if ((s->sampling.intensities || s->sampling.antithetic) && !(w->irng = gsl_rng_alloc(ts_rng_xoshiro256)))
        return -1;
    for (int p = 0; p < s->nplans; p++)
        if (!(w->plan_rng[p] = gsl_rng_alloc(ts_rng_xoshiro256)))
            return -1;
    w->q = evq_create(1024);
    w->cap = (size_t)s->customers.initial + 1024;
    w->c = malloc(w->cap * sizeof *w->c);
    w->scratch_cap = w->cap;
    w->scratch = malloc(w->scratch_cap * sizeof *w->scratch);
    w->bills = malloc(w->scratch_cap * (1 + 2 * (size_t)s->nplans) * sizeof *w->bills);
    if (!w->bills)
        return -1;
    if (!w->rng || !w->q || !w->c || !w->scratch)
        return -1;
    for (int f = 0; f < s->nfeatures; f++) {
        ts_binomial_prepare(&w->use[f], s->features[f].share);
        double pleft = 1;
        for (int r = 0; r < feature_route_count(&s->features[f]); r++) {
            double pr = feature_route_share(&s->features[f], r);
            ts_binomial_prepare(&w->route_b[f][r], pleft > pr ? pr / pleft : 1.0);
            pleft -= pr;
            interaction_cost ic = cost_interaction(&s->features[f], r, &s->prices);
            w->cost[f][r] = ic.total;
            w->model[f][r] = ic.input + ic.output;
            w->tokens[f][r] = ic.tokens;
            w->route_p[f][r] = feature_route_share(&s->features[f], r);
        }
    }
    for (int p = 0; p < s->nplans; p++) {
        const plan *pl = &s->plans[p];
        w->qof[p] = -1;
        w->keeps[p] = plan_keeps(pl);
        if (pl->quota <= 0 && !pl->free_tier && !w->keeps[p] && pl->commit <= 0 && pl->shock_churn <= 0)
            continue;
        w->qof[p] = w->nq;
        w->qplan[w->nq] = p;
        for (int f = 0; f < s->nfeatures; f++) {
            feature one = s->features[f];
            one.nroutes = 0;
            one.model_index = pl->soft_model_index >= 0 ? pl->soft_model_index : feature_route_model(&one, 0);
            interaction_cost ic = cost_interaction(&one, 0, &s->prices);
            w->soft[w->nq][f] = ic.input + ic.output;
            w->softm[w->nq][f] = one.model_index;
            w->csoft[w->nq][f] = plan_credit_rate(pl, one.model_index);
            int own = feature_route_model(&s->features[f], 0);
            one.model_index = pl->free_model_index >= 0 ? pl->free_model_index : own;
            ic = cost_interaction(&one, 0, &s->prices);
            w->freec[w->nq][f] = ic.input + ic.output;
            w->freem[w->nq][f] = one.model_index;
            w->cfree[w->nq][f] = plan_credit_rate(pl, one.model_index);
            for (int r = 0; r < feature_route_count(&s->features[f]); r++)
                w->crate[w->nq][f][r] = plan_credit_rate(pl, feature_route_model(&s->features[f], r));
        }
        w->nq++;
    }
    if (w->nq && !(w->qs = calloc(w->cap * (size_t)w->nq, sizeof *w->qs)))
        return -1;
    for (int p = 0; p < s->nplans; p++)
        w->walof[p] = w->keeps[p] & PLAN_KEEPS_WALLET ? w->nwal++ : -1;
    if (w->nwal && !(w->lots = calloc(w->cap * (size_t)w->nwal * WALLET_MAX_LOTS, sizeof *w->lots)))
        return -1;
    if (s->finance.enabled && !(w->fin_base = malloc(w->cap * (size_t)s->nplans * sizeof *w->fin_base)))
        return -1;
    return 0;
}

/* Serves an interval's n interactions (kk[f][r] per feature and route)
 * under each quota: the first ones at the plan's models, those past the
 * soft limit on the soft model, those past a hard cap refused. Which
 * interactions come first is random, so each part takes its share of every
 * feature and route (exact in expectation). */
static void serve_quotas(workspace *w, const scenario *s, size_t slot, double n, double t0, double t1,
                         double kk[COST_MAX_FEATURES][COST_MAX_ROUTES])
{
    for (int j = 0; j < w->nq; j++) {
        const plan *pl = &s->plans[w->qplan[j]];
        qstate *q = &w->qs[slot * (size_t)w->nq + j];
        if (q->lost)
            continue;
        bool free = pl->free_tier && !q->paid;
        /* a free customer: the free limit, and the free model from the first interaction */
        double soft_at = free ? (pl->free_model_index >= 0 ? 0 : INFINITY)
                              : pl->soft_at > 0 ? pl->soft_at * pl->quota : INFINITY;
        double cap = free ? (pl->free_limit > 0 ? pl->free_limit : INFINITY)
                          : pl->hard_cap && pl->quota > 0 ? pl->quota : INFINITY;
        bool switch_model = free ? pl->free_model_index >= 0 : pl->soft_model_index >= 0;
        double keep = free ? 1 : pl->soft_keep;    /* a delay past the soft limit deters some demand */
        const double *softc = free ? w->freec[j] : w->soft[j];
        const double *softcr = free ? w->cfree[j] : w->csoft[j];
        double room = fmax(0, cap - q->served);
        double normal = fmin(fmin(n, fmax(0, soft_at - q->served)), room);
        double after = fmin((n - normal) * keep, room - normal);
        double served = normal + after;
        double a = normal / n, b = after / n;
        for (int f = 0; f < s->nfeatures; f++)
            for (int r = 0; r < feature_route_count(&s->features[f]); r++) {
                double k = kk[f][r];
                if (k <= 0)
                    continue;
                q->model_cost += k * (a * w->model[f][r] + b * (switch_model ? softc[f] : w->model[f][r]));
                q->retrieval_cost += k * (a + b) * (w->cost[f][r] - w->model[f][r]);
                q->tokens += k * (a + b) * w->tokens[f][r];
                q->credits += k * (a * w->crate[j][f][r] + b * (switch_model ? softcr[f] : w->crate[j][f][r]));
            }
        /* the moment the first limit is reached: the k-th of the interval's n
         * interactions, at a Beta(k, n - k + 1) share of the interval */
        double limit = fmin(soft_at, cap);
        if (limit > 0 && q->served < limit && q->served + n >= limit && q->limit_day < 0) {
            double k = ceil(limit - q->served - 1e-9);
            double u = s->usage.counts == COUNTS_FIXED ? k / n
                     : gsl_ran_beta(w->plan_rng[w->qplan[j]], k, n - k + 1);
            double tc = t0 + (t1 - t0) * u;
            q->limit_day = 30 * (tc - floor(t0 + 1e-12));
        }
        q->served += served;
        q->refused += (n - normal) - after;
    }
}

/* The costs of month mo's last stage (every lever) become the ones the
 * interval prices with. */
static void load_month(workspace *w, const scenario *s, int mo)
{
    for (int f = 0; f < s->nfeatures; f++)
        for (int r = 0; r < feature_route_count(&s->features[f]); r++) {
            const double *v = costplan_at(w->cp, mo, f, r, w->cp->nstages - 1);
            w->model[f][r] = v[CP_MODEL];
            w->cost[f][r] = v[CP_MODEL] + v[CP_RETRIEVAL];
            w->tokens[f][r] = v[CP_TOKENS];
        }
    /* the models a plan's limits switch to: the month's prices and launches
     * (not the levers, which the plan's switch overrides) */
    for (int j = 0; j < w->nq; j++)
        for (int f = 0; f < s->nfeatures; f++)
            for (int k = 0; k < 2; k++) {
                feature one = s->features[f];
                one.nroutes = 0;
                one.model_index = k ? w->freem[j][f] : w->softm[j][f];
                lever_spec sp;
                lever_spec_init(&sp, &one, f, 0, &s->prices, &s->world, mo + 1);
                double c = lever_spec_cost(&sp, &s->prices, &s->world, mo + 1).model;
                if (k)
                    w->freec[j][f] = c;
                else
                    w->soft[j][f] = c;
            }
    w->cp_month = mo;
}

/* Draws usage from c->last_t to t and adds its cost. */
void engine_accrue(workspace *w, const scenario *s, customer *c, double t)
{
    double dt = t - c->last_t;
    if (dt <= 0)
        return;
    c->last_t = t;
    c->active += dt;
    const usage_dist *u = &s->usage;
    /* usage drift: the intensity grows as (1 + g)^a with tenure a, so the
     * interval's exposure is its integral, ((1+g)^a1 - (1+g)^a0) / ln(1+g) */
    double exposure = dt;
    if (u->drift != 0 && c->intensity >= u->drift_threshold) {
        double L = log1p(u->drift), a0 = t - dt - c->signup;
        exposure = exp(a0 * L) * expm1(dt * L) / L;
    }
    /* shocks in time: an interval lies within one month (the close accrues
     * every customer to the month's end) */
    if (s->world.nshocks > 0)
        exposure *= shock_usage_factor(s->world.shocks, s->world.nshocks, (int)(t - dt + 1e-9) + 1, c->intensity);
    double n = usage_count_draw(w->rng, u, c->intensity, c->mult, exposure);
    if (n <= 0)
        return;
    int mo = w->cp ? (int)(t - dt + 1e-9) : 0;
    if (w->cp) {
        if (mo >= s->horizon)
            mo = s->horizon - 1;
        if (mo != w->cp_month)
            load_month(w, s, mo);
    }
    c->interactions += n;
    bool fixed = u->counts == COUNTS_FIXED;
    double kk[COST_MAX_FEATURES][COST_MAX_ROUTES];
    for (int f = 0; f < s->nfeatures; f++) {
        const feature *ft = &s->features[f];
        int nr = feature_route_count(ft);
        double nf;
        if (ft->share >= 1)
            nf = n;
        else if (fixed)
            nf = n * ft->share;
        else
            nf = ts_ran_binomial_prepared(w->rng, &w->use[f], n);
        if (nr == 1 || fixed || nf <= 0) {
            for (int r = 0; r < nr; r++)
                kk[f][r] = nf * w->route_p[f][r];
        } else {
            /* multinomial split as a chain of conditional binomials */
            double left = nf;
            for (int r = 0; r < nr; r++) {
                kk[f][r] = r == nr - 1 ? left : ts_ran_binomial_prepared(w->rng, &w->route_b[f][r], left);
                left -= kk[f][r];
            }
        }
        for (int r = 0; r < nr; r++) {
            c->model_cost += kk[f][r] * w->model[f][r];
            c->retrieval_cost += kk[f][r] * (w->cost[f][r] - w->model[f][r]);
            c->tokens += kk[f][r] * w->tokens[f][r];
            if (w->stage && kk[f][r] > 0) {
                /* the waterfall: what these interactions cost at every stage */
                double *row = w->stage + (size_t)mo * w->cp->nstages;
                for (int j = 0; j < w->cp->nstages; j++) {
                    const double *v = costplan_at(w->cp, mo, f, r, j);
                    row[j] += kk[f][r] * (v[CP_MODEL] + v[CP_RETRIEVAL]);
                    w->self_tokens[j] += kk[f][r] * v[CP_SELF_TOKENS];
                    w->self_cost[j] += kk[f][r] * v[CP_SELF_COST];
                }
            }
        }
    }
    if (w->nq)
        serve_quotas(w, s, (size_t)(c - w->c), n, t - dt, t, kk);
    if (w->obs) {
        engine_accrual a = { (size_t)(c - w->c), c->signup, t - dt, t, (const double (*)[COST_MAX_ROUTES])kk };
        w->obs->accrued(w->obs->ctx, &a);
    }
}

void engine_month_reset(customer *c)
{
    c->active = 0;
    c->interactions = c->tokens = c->model_cost = c->retrieval_cost = 0;
    c->is_new = 0;
}

/* A new block of n strata, shuffled (Fisher-Yates on the intensity
 * stream): each sign-up of the block takes the next stratum, so a block of
 * customers covers the intensity law's quantiles evenly. */
static int new_block(workspace *w, size_t n)
{
    if (n > w->perm_cap) {
        uint32_t *np = realloc(w->perm, n * sizeof *np);
        if (!np)
            return -1;
        w->perm = np;
        w->perm_cap = n;
    }
    for (size_t i = 0; i < n; i++)
        w->perm[i] = (uint32_t)i;
    for (size_t i = n - 1; i > 0; i--) {
        size_t j = gsl_rng_uniform_int(w->irng, i + 1);
        uint32_t t = w->perm[i];
        w->perm[i] = w->perm[j];
        w->perm[j] = t;
    }
    w->block = n;
    w->in_block = 0;
    return 0;
}

static long signup(workspace *w, const scenario *s, double t)
{
    uint32_t slot;
    if (w->free_head != NO_FREE) {
        slot = w->free_head;
        w->free_head = w->c[slot].next_free;
    } else {
        if (w->n == w->cap) {
            size_t nc = w->cap * 2;
            customer *nv = realloc(w->c, nc * sizeof *nv);
            if (!nv)
                return -1;
            w->c = nv;
            if (w->nq) {
                qstate *nqs = realloc(w->qs, nc * (size_t)w->nq * sizeof *nqs);
                if (!nqs)
                    return -1;
                w->qs = nqs;
            }
            if (w->nwal) {
                double *nl = realloc(w->lots, nc * (size_t)w->nwal * WALLET_MAX_LOTS * sizeof *nl);
                if (!nl)
                    return -1;
                w->lots = nl;
            }
            if (w->fin_base) {
                double *nf = realloc(w->fin_base, nc * (size_t)s->nplans * sizeof *nf);
                if (!nf)
                    return -1;
                w->fin_base = nf;
            }
            w->cap = nc;
        }
        slot = (uint32_t)w->n++;
    }
    customer *c = &w->c[slot];
    memset(c, 0, sizeof *c);
    int seg = 0;
    size_t block = 0;
    uint32_t stratum = 0;
    double ui = -1;   /* the intensity's probability, for the WTP's copula */
    if (w->irng) {
        double u;
        if (s->sampling.intensities == SAMPLING_STRATIFIED) {
            if (w->in_block == w->block && new_block(w, ARRIVAL_BLOCK) < 0)
                return -1;
            block = w->block;
            stratum = w->perm[w->in_block];
            u = (w->perm[w->in_block++] + gsl_rng_uniform_pos(w->irng)) / (double)w->block;
        } else {
            u = gsl_rng_uniform_pos(w->irng);
        }
        ui = w->mirror ? 1 - u : u;
        c->intensity = usage_dist_draw_at(w->irng, &s->usage, ui, &seg);
    } else if (s->wtp.on) {
        ui = gsl_rng_uniform_pos(w->rng);
        c->intensity = usage_dist_draw_at(w->rng, &s->usage, ui, &seg);
    } else {
        c->intensity = usage_dist_draw(w->rng, &s->usage, &seg);
    }
    if (s->wtp.on)   /* a wtp shock scales the WTP of those signing up in its months */
        c->wtp = (float)(demand_wtp_draw(w->rng, &s->wtp, ui)
                         * shock_type_factor(s->world.shocks, s->world.nshocks, SHOCK_WTP, -1, (int)t + 1));
    c->segment = (uint8_t)seg;
    if (w->fin_base)
        for (int p = 0; p < s->nplans; p++)
            w->fin_base[slot * (size_t)s->nplans + p] = NAN;
    lawcell lc = lawtab_cell(w->law, block, stratum);
    c->law_mu = lc.mu, c->law_v = lc.v, c->law_c = lc.c;
    if (w->nwal)
        memset(&w->lots[slot * (size_t)w->nwal * WALLET_MAX_LOTS], 0, (size_t)w->nwal * WALLET_MAX_LOTS * sizeof *w->lots);
    /* each metered plan's state: free or paying, and the tier picked */
    for (int j = 0; j < w->nq; j++) {
        qstate *q = &w->qs[slot * (size_t)w->nq + j];
        const plan *pl = &s->plans[w->qplan[j]];
        memset(q, 0, sizeof *q);
        q->limit_day = -1;
        q->paid = !pl->free_tier;
        if (w->keeps[w->qplan[j]] & PLAN_KEEPS_TIER)
            q->hold.tier = plan_type_of(pl)->tier_start(pl, c->intensity);
    }
    c->mult = (float)usage_month_multiplier(w->rng, &s->usage);
    c->last_t = t;
    c->signup = (float)t;
    c->seats = s->customers.seats > 1 ? (float)(1 + ts_ran_poisson(w->rng, s->customers.seats - 1)) : 1.0f;
    c->state = ST_ACTIVE;
    c->is_new = 1;
    double hazard = s->customers.churn > 0 ? -log1p(-s->customers.churn) : 0;
    if (w->menu) {
        double bill = 0;
        int k = engine_choose_plan(w, s, c, t, &bill);
        if (k < 0) {
            /* no plan worth it: the arrival leaves at once, its slot free again */
            w->declined += 1;
            c->state = ST_FREE;
            c->next_free = w->free_head;
            w->free_head = slot;
            return slot;
        }
        c->plan = (uint8_t)k;
        for (int j = 0; j < w->nq; j++)
            w->qs[slot * (size_t)w->nq + j].lost = w->qplan[j] != k;
        hazard += c->vhaz;
    }
    c->leave = INFINITY;
    if (hazard > 0) {
        double leave = t + gsl_ran_exponential(w->rng, 1.0 / hazard);
        c->leave = (float)leave;
        if (leave < s->horizon && !evq_event_schedule(w->q, leave, EV_CHURN, slot))
            return -1;
    }
    return slot;
}

/* Arrivals of month m at uniform times in [m, m+1). */
int engine_schedule_arrivals(workspace *w, const scenario *s, int m, double active_now)
{
    double base = s->customers.new_per_month;
    for (int i = 0; i < s->customers.nschedule; i++)
        if (s->customers.schedule[i].from <= m + 1)
            base = s->customers.schedule[i].new_per_month;
    double mean = base + s->customers.growth_rate * active_now;
    if (mean <= 0)
        return 0;
    double k = ts_ran_poisson(w->rng, mean);
    for (double i = 0; i < k; i++)
        if (!evq_event_schedule(w->q, m + gsl_rng_uniform(w->rng), EV_SIGNUP, 0))
            return -1;
    return 0;
}

static int ensure_scratch(workspace *w, int nplans)
{
    if (w->scratch_cap >= w->n)
        return 0;
    double *ns = realloc(w->scratch, w->cap * sizeof *ns);
    if (ns)
        w->scratch = ns;
    double *nb = ns ? realloc(w->bills, w->cap * (1 + 2 * (size_t)nplans) * sizeof *nb) : NULL;
    if (!nb)
        return -1;
    w->bills = nb;
    w->scratch_cap = w->cap;
    return 0;
}

/* Runs replication `index` into result row `rep`. Returns 0, -1 (memory)
 * or 1 (stopped). */
static int replicate(workspace *w, const scenario *s, run_result *out, int rep, int index,
                     volatile sig_atomic_t *stop)
{
    ts_rng_reseed(w->rng, s->seed, (uint64_t)index);
    /* a plan's stream: (seed, index) mixed again with the plan's position */
    for (int p = 0; p < s->nplans; p++)
        ts_rng_reseed(w->plan_rng[p], ts_rng_seed_mix(s->seed, (uint64_t)index), (uint64_t)p + 1);
    if (w->cp) {
        w->cp_month = -1;
        memset(w->self_tokens, 0, sizeof w->self_tokens);
        memset(w->self_cost, 0, sizeof w->self_cost);
        w->stage = out->lever ? out->lever + (size_t)rep * s->horizon * w->cp->nstages : NULL;
        if (w->stage)
            memset(w->stage, 0, (size_t)s->horizon * w->cp->nstages * sizeof *w->stage);
    }
    if (w->irng) {
        /* an antithetic pair shares the intensity stream of its first member */
        uint64_t lead = s->sampling.antithetic ? (uint64_t)index & ~1ULL : (uint64_t)index;
        ts_rng_reseed(w->irng, ts_rng_seed_mix(s->seed, lead), 0x696e74656e736974ULL);
        w->mirror = s->sampling.antithetic && (index & 1);
        w->block = w->in_block = 0;
        if (s->sampling.intensities == SAMPLING_STRATIFIED && s->customers.initial > 0
            && new_block(w, (size_t)s->customers.initial < MAX_BLOCK ? (size_t)s->customers.initial : MAX_BLOCK) < 0)
            return -1;
    }
    evq_clear(w->q);
    w->n = 0;
    w->free_head = NO_FREE;
    memset(run_seg(out, rep, 0, 0), 0, (size_t)s->nplans * out->nsegments * SEG_COUNT * sizeof(double));
    memset(run_law(out, rep, 0), 0, (size_t)(s->horizon + 1) * LAW_COUNT * sizeof(double));
    if (out->cohort) {
        size_t cells = (size_t)s->nplans * s->horizon * s->horizon * CO_COUNT;
        memset(run_cohort(out, rep, 0, 0, 0), 0, cells * sizeof(double));
        memset(run_fin(out, rep, 0), 0, (size_t)s->nplans * FIN_COUNT * sizeof(double));
    }
    double churned = 0, arrived = 0;
    w->declined = 0;
    for (int p = 0; p < s->nplans; p++)
        w->changed_at[p] = INFINITY;      /* a menu's first customers see the plans before any change */
    for (int i = 0; i < s->customers.initial; i++)
        if (signup(w, s, 0.0) < 0)
            return -1;
    arrived = s->customers.initial - w->declined;
    if (engine_schedule_arrivals(w, s, 0, arrived) < 0)
        return -1;
    for (int m = 0; m < s->horizon; m++)
        if (!evq_event_schedule(w->q, m + 1, EV_MONTH_CLOSE, (uint32_t)m))
            return -1;
    for (int p = 0; p < s->nplans; p++) {
        w->changed_at[p] = INFINITY;
        if (s->plans[p].switch_index >= 0
            && !evq_event_schedule(w->q, s->plans[p].switch_month - 1, EV_PLAN_CHANGE, (uint32_t)p))
            return -1;
    }
    evq_event ev;
    while (evq_event_next(w->q, &ev)) {
        switch (ev.kind) {
        case EV_SIGNUP: {
            long k = signup(w, s, ev.time);
            if (k < 0)
                return -1;
            arrived += w->c[k].state != ST_FREE;
            break;
        }
        case EV_CHURN: {
            customer *c = &w->c[ev.subject];
            if (w->menu && (c->state != ST_ACTIVE || (float)ev.time != c->leave))
                break;              /* a lifetime redrawn at a pricing change: this one is stale */
            engine_accrue(w, s, c, ev.time);
            c->state = ST_LEFT;
            churned += 1;
            break;
        }
        case EV_PLAN_CHANGE:
            w->changed_at[ev.subject] = ev.time;
            if (engine_menu_repriced(w, s, (int)ev.subject, ev.time) < 0)
                return -1;
            break;
        case EV_MONTH_CLOSE:
            if (stop && *stop)
                return 1;
            if (ensure_scratch(w, s->nplans) < 0)
                return -1;
            if (out->declined)
                out->declined[(size_t)rep * s->horizon + ev.subject] = w->declined;
            w->declined = 0;
            if (engine_month_close(w, s, out, rep, (int)ev.subject, &churned, &arrived) < 0)
                return -1;
            break;
        }
    }
    if (out->cohort)
        finance_replication(s, out, rep);
    return 0;
}

void run_result_free(run_result *r)
{
    free(r->lever);
    free(r->month);
    free(r->law);
    free(r->seg);
    free(r->declined);
    free(r->snapshot);
    free(r->snap_interactions);
    free(r->snap_wtp);
    free(r->snap_segment);
    free(r->snap_bill);
    free(r->inputs);
    free(r->cohort);
    free(r->fin);
    free(r->fin_month);
    memset(r, 0, sizeof *r);
}

/* engine_run on this process's block of the rows (all of them without
 * MPI); the other rows stay unset. Frees out on failure. */
static int run_block(const scenario *s, const engine_opts *o, run_result *out, ts_error *err)
{
    return engine_run_observed(s, o, NULL, out, err);
}

int engine_run_observed(const scenario *s, const engine_opts *o, const engine_observer *obs, run_result *out,
                        ts_error *err)
{
    if (s->uncertain.ninputs > 0)
        return outer_run(s, o, obs, out, err);
    return engine_run_rows(s, o, obs, false, out, err);
}

int engine_run_rows(const scenario *s, const engine_opts *o, const engine_observer *obs, bool local, run_result *out,
                    ts_error *err)
{
    memset(out, 0, sizeof *out);
    if (engine_guard(s, o->count, o->threads, err))
        return err->code;
    out->first = o->first;
    out->nreps = o->count;
    out->nplans = s->nplans;
    out->nmonths = s->horizon;
    out->nsegments = usage_dist_nsegments(&s->usage);
    out->pairs = s->sampling.antithetic && o->first % 2 == 0 && o->count % 2 == 0;
    out->month = malloc((size_t)o->count * s->nplans * s->horizon * MET_COUNT * sizeof(double));
    out->seg = malloc((size_t)o->count * s->nplans * out->nsegments * SEG_COUNT * sizeof(double));
    out->law = malloc((size_t)o->count * (s->horizon + 1) * LAW_COUNT * sizeof(double));
    bool menu = s->wtp.on && s->wtp.choice == CHOICE_MENU;
    if (menu && !(out->declined = calloc((size_t)o->count * s->horizon, sizeof *out->declined))) {
        run_result_free(out);
        return ts_error_set(err, TS_ERR_RUNTIME, NULL, 0, 0, "out of memory for %d replications", o->count);
    }
    lawtab law;
    size_t first = (size_t)s->customers.initial < MAX_BLOCK ? (size_t)s->customers.initial : MAX_BLOCK;
    if (!out->month || !out->seg || !out->law || lawtab_build(&law, s, first, ARRIVAL_BLOCK) < 0) {
        run_result_free(out);
        return ts_error_set(err, TS_ERR_RUNTIME, NULL, 0, 0, "out of memory for %d replications", o->count);
    }
    if (s->finance.enabled) {
        out->fin_discount = finance_monthly_rate(s->finance.discount_rate);
        out->cohort = malloc((size_t)o->count * s->nplans * s->horizon * s->horizon * CO_COUNT * sizeof(double));
        out->fin = malloc((size_t)o->count * s->nplans * FIN_COUNT * sizeof(double));
        out->fin_month = malloc((size_t)o->count * s->nplans * s->horizon * FM_COUNT * sizeof(double));
        if (!out->cohort || !out->fin || !out->fin_month) {
            lawtab_free(&law);
            run_result_free(out);
            return ts_error_set(err, TS_ERR_RUNTIME, NULL, 0, 0, "out of memory for the cohorts of %d replications",
                                o->count);
        }
    }
    costplan cp = { 0 };
    if (costplan_needed(s)) {
        if (costplan_build(&cp, s) < 0) {
            lawtab_free(&law);
            run_result_free(out);
            return ts_error_set(err, TS_ERR_RUNTIME, NULL, 0, 0, "out of memory for the cost plan");
        }
        if (s->nlevers > 0) {
            out->nstages = cp.nstages;
            out->lever = calloc((size_t)o->count * s->horizon * cp.nstages, sizeof *out->lever);
            if (!out->lever) {
                costplan_free(&cp);
                lawtab_free(&law);
                run_result_free(out);
                return ts_error_set(err, TS_ERR_RUNTIME, NULL, 0, 0, "out of memory for the waterfall");
            }
        }
    }
    /* under MPI this process runs its block of rows; ranks_share fills in the rest */
    int off, n;
    if (local) {
        off = 0;
        n = o->count;
    } else {
        ranks_block(o->count, ranks_size(), ranks_rank(), &off, &n);
    }
    int threads = o->threads > 0 ? o->threads : omp_get_num_procs();
    if (threads > n)
        threads = n > 0 ? n : 1;
    int failed = 0, stopped = 0, done = 0;
#pragma omp parallel num_threads(threads)
    {
        workspace w;
        int bad = ws_init(&w, s);
        w.cp = cp.v ? &cp : NULL;
        w.law = &law;
        w.obs = obs;
        if (!bad)
            bad = engine_choice_prepare(&w, s);
#pragma omp for schedule(dynamic, 1)
        for (int i = off; i < off + n; i++) {
            int rc;
#pragma omp atomic read
            rc = failed;
            if (bad || rc)
                continue;
            rc = replicate(&w, s, out, i, o->first + i, o->stop);
            if (rc < 0) {
#pragma omp atomic write
                failed = 1;
            } else if (rc > 0) {
#pragma omp atomic write
                stopped = 1;
            }
#pragma omp critical(ts_progress)
            {
                done++;
                if (o->progress && rc == 0)
                    o->progress(o->progress_ctx, done, n);
            }
        }
        if (bad) {
#pragma omp atomic write
            failed = 1;
        }
        ws_free(&w);
    }
    costplan_free(&cp);
    lawtab_free(&law);
    int rc = TS_OK;
    if (failed)
        rc = ts_error_set(err, TS_ERR_RUNTIME, NULL, 0, 0, "out of memory while simulating");
    else if (stopped || (o->stop && *o->stop))
        rc = ts_error_set(err, TS_ERR_INTERRUPTED, NULL, 0, 0, "interrupted");
    if (rc)
        run_result_free(out);
    return rc;
}

int engine_run(const scenario *s, const engine_opts *o, run_result *out, ts_error *err)
{
    int rc = ranks_agree(run_block(s, o, out, err), err);
    if (rc == TS_OK)
        rc = ranks_share(out->month, (size_t)s->nplans * s->horizon * MET_COUNT, o->count, err);
    if (rc == TS_OK)
        rc = ranks_share(out->seg, (size_t)s->nplans * out->nsegments * SEG_COUNT, o->count, err);
    if (rc == TS_OK)
        rc = ranks_share(out->law, (size_t)(s->horizon + 1) * LAW_COUNT, o->count, err);
    if (rc == TS_OK && out->lever)
        rc = ranks_share(out->lever, (size_t)s->horizon * out->nstages, o->count, err);
    if (rc == TS_OK && out->inputs)
        rc = ranks_share(out->inputs, (size_t)out->ninputs, o->count, err);
    if (rc == TS_OK && out->cohort)
        rc = ranks_share(out->cohort, (size_t)s->nplans * s->horizon * s->horizon * CO_COUNT, o->count, err);
    if (rc == TS_OK && out->fin)
        rc = ranks_share(out->fin, (size_t)s->nplans * FIN_COUNT, o->count, err);
    if (rc == TS_OK && out->fin_month)
        rc = ranks_share(out->fin_month, (size_t)s->nplans * s->horizon * FM_COUNT, o->count, err);
    if (rc == TS_OK && out->declined)
        rc = ranks_share(out->declined, (size_t)s->horizon, o->count, err);
    if (rc) {
        run_result_free(out);
        return rc;
    }
    /* a figure that is not a number stops here, naming it (guard.c) */
    if (engine_results_check(s, out, err)) {
        run_result_free(out);
        return err->code;
    }
    return TS_OK;
}

int run_result_append(run_result *dst, const run_result *src, ts_error *err)
{
    size_t mrow = (size_t)dst->nplans * dst->nmonths * MET_COUNT, srow = (size_t)dst->nplans * dst->nsegments * SEG_COUNT;
    size_t n = (size_t)dst->nreps + src->nreps;
    double *m = realloc(dst->month, n * mrow * sizeof *m);
    if (m)
        dst->month = m;
    double *g = m ? realloc(dst->seg, n * srow * sizeof *g) : NULL;
    if (g)
        dst->seg = g;
    if (!m || !g)
        return ts_error_set(err, TS_ERR_RUNTIME, NULL, 0, 0, "out of memory for %zu replications", n);
    memcpy(dst->month + (size_t)dst->nreps * mrow, src->month, (size_t)src->nreps * mrow * sizeof *m);
    memcpy(dst->seg + (size_t)dst->nreps * srow, src->seg, (size_t)src->nreps * srow * sizeof *g);
    size_t wrow = (size_t)(dst->nmonths + 1) * LAW_COUNT;
    double *lw = realloc(dst->law, n * wrow * sizeof *lw);
    if (!lw)
        return ts_error_set(err, TS_ERR_RUNTIME, NULL, 0, 0, "out of memory for %zu replications", n);
    dst->law = lw;
    memcpy(dst->law + (size_t)dst->nreps * wrow, src->law, (size_t)src->nreps * wrow * sizeof *lw);
    if (dst->lever) {
        size_t lrow = (size_t)dst->nmonths * dst->nstages;
        double *l = realloc(dst->lever, n * lrow * sizeof *l);
        if (!l)
            return ts_error_set(err, TS_ERR_RUNTIME, NULL, 0, 0, "out of memory for %zu replications", n);
        dst->lever = l;
        memcpy(dst->lever + (size_t)dst->nreps * lrow, src->lever, (size_t)src->nreps * lrow * sizeof *l);
    }
    if (dst->inputs && src->inputs) {
        double *x = realloc(dst->inputs, n * (size_t)dst->ninputs * sizeof *x);
        if (!x)
            return ts_error_set(err, TS_ERR_RUNTIME, NULL, 0, 0, "out of memory for %zu replications", n);
        dst->inputs = x;
        memcpy(dst->inputs + (size_t)dst->nreps * dst->ninputs, src->inputs,
               (size_t)src->nreps * dst->ninputs * sizeof *x);
    }
    if (dst->cohort) {
        size_t rows[3] = { (size_t)dst->nplans * dst->nmonths * dst->nmonths * CO_COUNT,
                           (size_t)dst->nplans * FIN_COUNT, (size_t)dst->nplans * dst->nmonths * FM_COUNT };
        double **d[3] = { &dst->cohort, &dst->fin, &dst->fin_month };
        const double *sv[3] = { src->cohort, src->fin, src->fin_month };
        for (int k = 0; k < 3; k++) {
            double *nv = realloc(*d[k], n * rows[k] * sizeof *nv);
            if (!nv)
                return ts_error_set(err, TS_ERR_RUNTIME, NULL, 0, 0, "out of memory for %zu replications", n);
            *d[k] = nv;
            memcpy(nv + (size_t)dst->nreps * rows[k], sv[k], (size_t)src->nreps * rows[k] * sizeof *nv);
        }
    }
    if (dst->declined) {
        double *d = src->declined ? realloc(dst->declined, n * dst->nmonths * sizeof *d) : NULL;
        if (!d)
            return ts_error_set(err, TS_ERR_RUNTIME, NULL, 0, 0, "out of memory for %zu replications", n);
        dst->declined = d;
        memcpy(d + (size_t)dst->nreps * dst->nmonths, src->declined, (size_t)src->nreps * dst->nmonths * sizeof *d);
    }
    dst->nreps = (int)n;
    dst->pairs = dst->pairs && src->pairs;
    return TS_OK;
}
