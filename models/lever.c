/* lever.c: what each lever does to the cost of one interaction.
 *
 * With spec weights w_k (calls on model k per call), c calls, T_in and
 * T_out tokens per call, read and write shares r and s of the input, a
 * batched share b, extra model work X, retrieval R, and a semantic-cache
 * hit rate H with a per-query cost Q, one interaction costs
 *   model     = (1 - H) (c sum_k w_k f_k (1 - b d_k) [T_in ((1-r-s) p_in + r p_read + s p_write) + T_out p_out] / 1e6 + X)
 *   retrieval = (1 - H) R + Q
 * with f_k the world's price factor and d_k the model's batch discount. A
 * lever at strength phi moves the spec a share phi of the way to its full
 * effect:
 *   routing, fine_tune  w_k -= phi s w_k (k != to, or k = from), the moved calls to `to`; routing adds
 *                       phi x classifier
 *   cascade             w_k *= 1 - phi + phi e, w_first += phi
 *   prompt_cache        r -> (1-phi) r + phi c h,  s -> (1-phi) s + phi c (1-h)
 *   semantic_cache      1 - H -> (1 - H)(1 - phi h),  Q += phi (embedding + lookup)
 *   batch               1 - b -> (1 - b)(1 - phi share)
 *   output_limit        T_out *= 1 - phi x reduction; compression: system, user, context likewise
 *   history_summary     history *= 1 - phi x reduction, X += phi x calls x (the summary call's cost)
 *   retrieval           context -> (1-phi) context + phi K, R += phi (embedding + searches)
 *   split               w_k -> (1 - phi) w_k + phi (sum w) split_k: every call to the split's mix
 *   self_host           a share phi s of every model's calls moves to the GPUs, priced here at the
 *                       spill model's API rates; the month's close swaps that for the GPU cost plus
 *                       the API cost of the tokens above the capacity:
 *                         G + max(0, D - C) / D x (their API cost), D the month's tokens, C the capacity */
#include "lever.h"

#include <math.h>
#include <string.h>

const char *const lever_kind_names[] = { "routing", "cascade", "fine_tune", "prompt_cache", "semantic_cache",
                                         "batch", "output_limit", "compression", "history_summary", "retrieval",
                                         "self_host", "split", NULL };

double lever_self_capacity(const lever *l)
{
    return l->capacity_tps * 30 * 24 * 3600 * l->utilization;
}

const char *const cache_product_names[] = { "none", "faq", "support", "content", "code", "analysis", "personal",
                                            NULL };
const double cache_product_hit_rate[] = { 0, 0.55, 0.425, 0.125, 0.25, 0.175, 0.05 };

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
    sp->retrieval = f->embedding_tokens * pt->embedding / 1e6 + f->vector_searches * pt->vector_search
                  + f->reranks * pt->rerank;
}

void lever_apply(lever_spec *sp, const lever *l, double phi, const price_table *pt)
{
    if (phi <= 0)
        return;
    double x;
    switch (l->kind) {
    case LEVER_ROUTING:
    case LEVER_FINE_TUNE:
        x = phi * l->share;
        for (int k = 0; k < pt->nmodels; k++)
            if (k != l->to_index && sp->w[k] > 0 && (l->from_index < 0 || k == l->from_index)) {
                sp->w[l->to_index] += x * sp->w[k];
                sp->w[k] -= x * sp->w[k];
            }
        if (l->kind == LEVER_ROUTING)
            sp->extra_model += phi * l->classifier_cost;
        break;
    case LEVER_CASCADE:
        for (int k = 0; k < pt->nmodels; k++)
            sp->w[k] *= 1 - phi + phi * l->escalate;
        sp->w[l->to_index] += phi;
        break;
    case LEVER_PROMPT_CACHE:
        sp->cache_read = (1 - phi) * sp->cache_read + phi * l->share * l->hit_rate;
        sp->cache_write = (1 - phi) * sp->cache_write + phi * l->share * (1 - l->hit_rate);
        break;
    case LEVER_SEMANTIC_CACHE:
        sp->semantic_hit = 1 - (1 - sp->semantic_hit) * (1 - phi * l->hit_rate);
        sp->semantic_cost += phi * (l->embed_tokens * pt->embedding / 1e6 + l->lookup_cost);
        break;
    case LEVER_BATCH:
        sp->batch = 1 - (1 - sp->batch) * (1 - phi * l->share);
        break;
    case LEVER_OUTPUT_LIMIT:
        sp->tokens.output *= 1 - phi * l->reduction;
        break;
    case LEVER_COMPRESSION:
        x = 1 - phi * l->reduction;
        sp->tokens.system *= x;
        sp->tokens.user *= x;
        sp->tokens.context *= x;
        break;
    case LEVER_HISTORY_SUMMARY: {
        const model_price *m = &pt->models[l->summary_index];
        sp->tokens.history *= 1 - phi * l->reduction;
        sp->extra_model += phi * l->summary_calls * (l->summary_input * m->input + l->summary_output * m->output) / 1e6;
        sp->extra_tokens += phi * l->summary_calls * (l->summary_input + l->summary_output);
        break;
    }
    case LEVER_SPLIT: {
        double total = 0;
        for (int k = 0; k < pt->nmodels; k++) {
            total += sp->w[k];
            sp->w[k] *= 1 - phi;
        }
        for (int i = 0; i < l->nsplit; i++)
            sp->w[l->split[i].model_index] += phi * total * l->split[i].share;
        break;
    }
    case LEVER_SELF_HOST:
        x = phi * l->share;
        for (int k = 0; k < pt->nmodels; k++)
            if (sp->w[k] > 0 && (l->from_index < 0 || k == l->from_index)) {
                sp->self_w += x * sp->w[k];
                sp->w[k] -= x * sp->w[k];
            }
        sp->self_model = l->to_index;
        break;
    case LEVER_RETRIEVAL:
        sp->tokens.context = (1 - phi) * sp->tokens.context + phi * l->context_tokens;
        sp->retrieval += phi * (l->embedding_tokens * pt->embedding / 1e6 + l->searches * pt->vector_search);
        break;
    }
}

/* One call on model k at the spec's tokens, caches and batching, $. */
static double call_cost(const lever_spec *sp, const price_table *pt, int k)
{
    const feature_tokens *t = &sp->tokens;
    double tin = t->system + t->history + t->user + t->context;
    const model_price *mp = &pt->models[k];
    model_rates r = cost_model_rates(mp, tin);
    double read = r.cached >= 0 ? r.cached : r.input;
    double in = tin * ((1 - sp->cache_read - sp->cache_write) * r.input + sp->cache_read * read
                       + sp->cache_write * r.write);
    return (in + t->output * r.output) / 1e6 * (1 - sp->batch * mp->batch_discount);
}

lever_cost lever_spec_cost(const lever_spec *sp, const price_table *pt, const world *w, int month)
{
    const feature_tokens *t = &sp->tokens;
    double per_call = t->system + t->history + t->user + t->context + t->output, m = 0, tk = 0;
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
