/* cost.c: cost per interaction from tokens and prices.
 *
 *   input $  = calls * (1 - c) * T_in * P_in / 1e6 + calls * c * T_in * P_cached / 1e6
 *   output $ = calls * T_out * P_out / 1e6
 *   retrieval $ = E * P_embed / 1e6 + V * P_search + R * P_rerank
 * with T_in = system + history + user + context tokens, c the cached share,
 * E embedding tokens, V vector searches and R rerank calls per interaction.
 * A call whose T_in is above the model's long-context threshold pays the
 * long rates on all its tokens (input, cached and output), as providers
 * bill long requests.
 *
 * An agent task makes `steps` calls, each retried with probability q, so
 * steps / (1 - q) calls; step i (0-based) reads i x g more input tokens,
 * (steps - 1) g / 2 more on average. */
#include "cost.h"

#include <math.h>
#include <stdio.h>

#include <string.h>

int cost_model_find(const price_table *pt, const char *name)
{
    for (int i = 0; i < pt->nmodels; i++)
        if (strcmp(pt->models[i].name, name) == 0)
            return i;
    return -1;
}

bool cost_feature_resolve(feature *f, const price_table *pt, int *bad_route)
{
    if (f->nroutes == 0) {
        f->model_index = cost_model_find(pt, f->model);
        *bad_route = -1;
        return f->model_index >= 0;
    }
    for (int r = 0; r < f->nroutes; r++) {
        f->routes[r].model_index = cost_model_find(pt, f->routes[r].model);
        if (f->routes[r].model_index < 0) {
            *bad_route = r;
            return false;
        }
    }
    return true;
}

model_rates cost_model_rates(const model_price *m, double input_tokens)
{
    model_rates r = { m->input, m->cached_input, m->cache_write >= 0 ? m->cache_write : m->input, m->output };
    if (m->long_above > 0 && input_tokens > m->long_above) {
        if (m->long_input >= 0) {
            /* a write premium keeps its ratio to the input price */
            r.write = m->cache_write >= 0 && m->input > 0 ? m->cache_write * m->long_input / m->input : m->long_input;
            r.input = m->long_input;
        }
        if (m->long_output >= 0)
            r.output = m->long_output;
        if (m->long_cached >= 0)
            r.cached = m->long_cached;
    }
    return r;
}

double cost_agent_calls(const feature *f)
{
    return f->agent_steps > 0 ? f->calls * f->agent_steps / (1 - f->agent_retry) : f->calls;
}

double cost_agent_extra_input(const feature *f)
{
    return f->agent_steps > 1 ? (f->agent_steps - 1) * f->agent_growth / 2 : 0;
}

interaction_cost cost_single_shot(const feature *f, int r, const price_table *pt)
{
    feature one = *f;
    one.agent_steps = 0;
    one.calls = 1;
    return cost_interaction(&one, r, pt);
}

token_prices cost_token_prices(const model_price *m, double read, double write)
{
    model_rates s = cost_model_rates(m, 0), l = m->long_above > 0 ? cost_model_rates(m, INFINITY) : s;
    double rs = s.cached >= 0 ? s.cached : s.input, rl = l.cached >= 0 ? l.cached : l.input;
    return (token_prices){ (1 - read - write) * s.input + read * rs + write * s.write, s.output,
                           (1 - read - write) * l.input + read * rl + write * l.write, l.output, m->long_above };
}

interaction_cost cost_interaction(const feature *f, int r, const price_table *pt)
{
    const model_price *m = &pt->models[feature_route_model(f, r)];
    const feature_tokens *t = &f->tokens;
    double tin = t->system + t->history + t->user + t->context + cost_agent_extra_input(f);
    double calls = cost_agent_calls(f);
    interaction_cost c;
    double out = t->output;
    if (token_spread_active(&f->spread)) {
        token_prices tp = cost_token_prices(m, f->cached_share, 0);
        token_expect e = token_spread_expect(&f->spread, &tp, tin, t->output);
        c.input = calls * e.input / 1e6;
        c.output = calls * e.output / 1e6;
        out = e.out_tokens;
    } else {
        model_rates mr = cost_model_rates(m, tin);
        c.input = calls * tin * ((1 - f->cached_share) * mr.input + f->cached_share * mr.cached) / 1e6;
        c.output = calls * t->output * mr.output / 1e6;
    }
    c.retrieval = f->embedding_tokens * pt->embedding / 1e6 + f->vector_searches * pt->vector_search
                + f->reranks * pt->rerank;
    c.total = c.input + c.output + c.retrieval;
    c.tokens = calls * (tin + out);
    return c;
}

interaction_cost cost_interaction_expected(const feature *fs, int nf, const price_table *pt)
{
    interaction_cost sum = { 0 };
    for (int i = 0; i < nf; i++)
        for (int r = 0; r < feature_route_count(&fs[i]); r++) {
            interaction_cost c = cost_interaction(&fs[i], r, pt);
            double w = fs[i].share * feature_route_share(&fs[i], r);
            sum.input += w * c.input;
            sum.output += w * c.output;
            sum.retrieval += w * c.retrieval;
            sum.total += w * c.total;
            sum.tokens += w * c.tokens;
        }
    return sum;
}
