/* lever.c: the registry of lever kinds, what every lever shares (its
 * strength over the months, its words, the helpers kinds use) and the cost
 * of one interaction under a spec. What each kind does lives in its own
 * file, models/lever_<kind>.c.
 *
 * With spec weights w_k (calls on model k per call), c calls, T_in and
 * T_out tokens per call, read and write shares r and s of the input, a
 * batched share b, extra model work X, retrieval R, and a semantic-cache
 * hit rate H with a per-query cost Q, one interaction costs
 *   model     = (1 - H) (c sum_k w_k f_k (1 - b d_k) [T_in ((1-r-s) p_in + r p_read + s p_write) + T_out p_out] / 1e6 + X)
 *   retrieval = (1 - H) R + Q
 * with f_k the world's price factor and d_k the model's batch discount. A
 * lever at strength phi moves the spec a share phi of the way to its full
 * effect (each kind's file gives its own formula). Self-hosted calls, w_self,
 * are priced here at the spill model's API rates; the month's close swaps
 * that for the rented capacity's cost plus the API cost of the tokens above
 * the capacity. */
#include "lever.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

double lever_strength(const lever *l, int month)
{
    if (month < l->start_month)
        return 0;
    if (l->ramp_months <= 0)
        return 1;
    double p = (double)(month - l->start_month + 1) / l->ramp_months;
    return p < 1 ? p : 1;
}

double world_price_factor(const world *w, int k, int month)
{
    double f = w->deflation > 0 ? pow(1 - w->deflation, (month - 1) / 12.0) : 1;
    for (int i = 0; i < w->nprices; i++)
        if (month >= w->prices[i].month && (w->prices[i].model_index < 0 || w->prices[i].model_index == k))
            f *= w->prices[i].factor;
    if (w->nshocks > 0)
        f *= shock_type_factor(w->shocks, w->nshocks, SHOCK_MODEL_PRICES, k, month);
    return f;
}

void lever_spec_init(lever_spec *sp, const feature *f, int fi, int r, const price_table *pt, const world *w,
                     int month)
{
    memset(sp, 0, sizeof *sp);
    sp->w[feature_route_model(f, r)] = 1;
    sp->calls = cost_agent_calls(f);
    sp->tokens = f->tokens;
    sp->tokens.context += cost_agent_extra_input(f);
    for (int i = 0; i < w->nfeatures; i++) {
        const feature_event *e = &w->features[i];
        if (month < e->month || (e->feature_index >= 0 && e->feature_index != fi))
            continue;
        sp->calls += e->calls;
        sp->tokens.system += e->tokens.system;
        sp->tokens.history += e->tokens.history;
        sp->tokens.user += e->tokens.user;
        sp->tokens.context += e->tokens.context;
        sp->tokens.output += e->tokens.output;
    }
    sp->cache_read = f->cached_share;
    sp->self_model = -1;
    sp->spread = token_spread_active(&f->spread) ? &f->spread : NULL;
    sp->retrieval = f->embedding_tokens * pt->embedding / 1e6 + f->vector_searches * pt->vector_search
                  + f->reranks * pt->rerank;
}

/* One call on model k at the spec's tokens, caches and batching, $. */
static double call_cost(const lever_spec *sp, const price_table *pt, int k)
{
    const feature_tokens *t = &sp->tokens;
    double tin = t->system + t->history + t->user + t->context;
    const model_price *mp = &pt->models[k];
    if (sp->spread) {
        token_prices tp = cost_token_prices(mp, sp->cache_read, sp->cache_write);
        token_expect e = token_spread_expect(sp->spread, &tp, tin, t->output);
        return (e.input + e.output) / 1e6 * (1 - sp->batch * mp->batch_discount);
    }
    model_rates r = cost_model_rates(mp, tin);
    double read = r.cached >= 0 ? r.cached : r.input;
    double in = tin * ((1 - sp->cache_read - sp->cache_write) * r.input + sp->cache_read * read
                       + sp->cache_write * r.write);
    return (in + t->output * r.output) / 1e6 * (1 - sp->batch * mp->batch_discount);
}

lever_cost lever_spec_cost(const lever_spec *sp, const price_table *pt, const world *w, int month)
{
    const feature_tokens *t = &sp->tokens;
    double tin = t->system + t->history + t->user + t->context, m = 0, tk = 0;
    /* an output limit cuts the tokens a call bills, not only its price */
    double per_call = tin + (sp->spread ? token_spread_expect(sp->spread, &(token_prices){ 0 }, tin, t->output)
                                               .out_tokens : t->output);
    for (int k = 0; k < pt->nmodels; k++)
        if (sp->w[k] > 0) {
            m += sp->calls * sp->w[k] * call_cost(sp, pt, k) * world_price_factor(w, k, month);
            tk += sp->calls * sp->w[k] * per_call;
        }
    double keep = 1 - sp->semantic_hit;
    lever_cost c = { 0 };
    if (sp->self_w > 0 && sp->self_model >= 0) {
        c.self_tokens = keep * sp->calls * sp->self_w * per_call;
        c.self_cost = keep * sp->calls * sp->self_w * call_cost(sp, pt, sp->self_model)
                    * world_price_factor(w, sp->self_model, month);
    }
    c.model = keep * (m + sp->extra_model) + c.self_cost;
    c.retrieval = keep * sp->retrieval + sp->semantic_cost;
    c.tokens = keep * (tk + sp->extra_tokens) + c.self_tokens;
    return c;
}

/* ---- the registry ---- */

#define LEVER_KIND(id) extern const lever_kind lever_kind_##id;
#include "lever_kinds.def"
#undef LEVER_KIND

static const lever_kind *kinds[LEVER_KINDS_MAX] = {
#define LEVER_KIND(id) &lever_kind_##id,
#include "lever_kinds.def"
#undef LEVER_KIND
};
static int nkinds = -1;
static unsigned generation;

int lever_kind_count(void)
{
    if (nkinds < 0) {
        nkinds = 0;
        while (nkinds < LEVER_KINDS_MAX && kinds[nkinds])
            nkinds++;
    }
    return nkinds;
}

const lever_kind *lever_kind_get(int kind)
{
    return kind >= 0 && kind < lever_kind_count() ? kinds[kind] : NULL;
}

int lever_kind_find(const char *name)
{
    for (int i = 0; i < lever_kind_count(); i++)
        if (!strcmp(kinds[i]->name, name))
            return i;
    return -1;
}

int lever_kind_register(const lever_kind *k, ts_error *err)
{
    if (!k || !k->name || !k->name[0] || !k->apply || !k->describe || !k->keys) {
        ts_error_set(err, TS_ERR_INPUT, NULL, 0, 0, "invalid lever kind: expected a name, keys, apply and describe");
        return -1;
    }
    if (lever_kind_find(k->name) >= 0) {
        ts_error_set(err, TS_ERR_INPUT, NULL, 0, 0, "duplicate lever kind '%s'", k->name);
        return -1;
    }
    if (k->params_size > LEVER_PARAM_BYTES) {
        ts_error_set(err, TS_ERR_INPUT, NULL, 0, 0, "lever kind '%s' has %zu bytes of parameters, expected at most %d",
                     k->name, k->params_size, LEVER_PARAM_BYTES);
        return -1;
    }
    if (lever_kind_count() == LEVER_KINDS_MAX) {
        ts_error_set(err, TS_ERR_INPUT, NULL, 0, 0, "too many lever kinds: expected at most %d", LEVER_KINDS_MAX);
        return -1;
    }
    kinds[nkinds] = k;
    generation++;
    return nkinds++;
}

unsigned lever_kind_generation(void)
{
    return generation;
}

/* ---- what every lever shares ---- */

void lever_apply(lever_spec *sp, const lever *l, double phi, const price_table *pt)
{
    if (phi <= 0)
        return;
    lever_kind_of(l)->apply(sp, l, phi, pt);
}

double lever_one_time_cost(const lever *l)
{
    const lever_kind *k = lever_kind_of(l);
    return k->one_time_cost ? k->one_time_cost(l) : 0;
}

bool lever_capacity(const lever *l, double *monthly, double *tokens)
{
    const lever_kind *k = lever_kind_of(l);
    if (!k->capacity)
        return false;
    k->capacity(l, monthly, tokens);
    return true;
}

int lever_describe(const lever *l, char *buf, size_t n)
{
    int len = lever_kind_of(l)->describe(l, buf, n);
    if (len < 0)
        return len;
    size_t at = (size_t)len < n ? (size_t)len : n;
    int more = 0;
    if (l->start_month > 1)
        more += snprintf(buf + at, n - at, " from month %d", l->start_month);
    at = (size_t)(len + more) < n ? (size_t)(len + more) : n;
    if (l->ramp_months > 0)
        more += snprintf(buf + at, n - at, ", reaching full strength over %d month%s", l->ramp_months,
                         l->ramp_months == 1 ? "" : "s");
    return len + more;
}

const char *lever_feature_words(const lever *l)
{
    return l->feature[0] ? l->feature : "every feature";
}

void lever_sets_add(lever_sets *s, const char *fmt, ...)
{
    if (s->n == (int)(sizeof s->v / sizeof s->v[0]))
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(s->v[s->n++], LEVER_SET_LEN, fmt, ap);
    va_end(ap);
}

/* ---- helpers for kinds ---- */

void lever_move_calls(lever_spec *sp, const price_table *pt, double x, int to, int from)
{
    for (int k = 0; k < pt->nmodels; k++)
        if (k != to && sp->w[k] > 0 && (from < 0 || k == from)) {
            sp->w[to] += x * sp->w[k];
            sp->w[k] -= x * sp->w[k];
        }
}

int lever_fail(const lever_check *c, const void *field, const void *fallback, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return c->fail(c->loader, field, fallback, msg);
}

int lever_model_ref(const lever_check *c, const lever *l, const char *key, const char *name, int *index,
                    const void *field)
{
    *index = -1;
    if (!name[0])
        return TS_OK;
    char path[160];
    snprintf(path, sizeof path, "levers.%s.%s", l->name, key);
    int rc = c->model(c->loader, name, field, path);
    if (rc == TS_OK)
        *index = cost_model_find(c->prices, name);
    return rc;
}

const model_price *lever_model_lacking(const lever_check *c, const lever *l,
                                       bool (*lacks)(const model_price *m), const feature **f)
{
    for (int i = 0; i < c->nfeatures; i++) {
        if (l->feature_index >= 0 && l->feature_index != i)
            continue;
        for (int r = 0; r < feature_route_count(&c->features[i]); r++) {
            const model_price *m = &c->prices->models[feature_route_model(&c->features[i], r)];
            if (lacks(m)) {
                *f = &c->features[i];
                return m;
            }
        }
    }
    return NULL;
}
