/* replay_levers.c: what the backtest adds to re-pricing the log (see
 * replay_internal.h): the scenario's levers applied to each logged
 * request, exactly as the engine applies them to an interaction's spec,
 * and the customers grouped by how much they use.
 *
 * A request of T_in input tokens (C of them cached) and T_out output tokens
 * on model m becomes a spec of one call, w_m = 1, the cache-read share C/T_in,
 * and the input split as its feature splits its own; each lever then moves
 * the spec as it does in the engine (models/lever_<kind>.c) and
 * lever_spec_cost prices it. With no lever the spec's cost equals the
 * row's plain price (tested), so a lever's saving is the whole difference. */
#include "replay_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "models/lever.h"

int replay_feature_of(const scenario *s, const char *name, size_t n)
{
    for (int f = 0; name && f < s->nfeatures; f++)
        if (strlen(s->features[f].name) == n && !strncmp(s->features[f].name, name, n))
            return f;
    return s->nfeatures == 1 ? 0 : -1;
}

/* the input split of feature f, or all of it as user text */
static void split_input(const scenario *s, int f, double tin, feature_tokens *t)
{
    memset(t, 0, sizeof *t);
    const feature_tokens *ft = f >= 0 ? &s->features[f].tokens : NULL;
    double sum = ft ? ft->system + ft->history + ft->user + ft->context : 0;
    if (!(sum > 0)) {
        t->user = tin;
        return;
    }
    t->system = tin * ft->system / sum;
    t->history = tin * ft->history / sum;
    t->user = tin * ft->user / sum;
    t->context = tin * ft->context / sum;
}

void replay_row_costs(const scenario *s, const row *w, int m, int month, double *after)
{
    static const world none;     /* the log's own prices: no deflation, no price events */
    double n = w->n > 0 ? w->n : 1, tin = w->in / n;
    lever_spec sp;
    memset(&sp, 0, sizeof sp);
    sp.w[m] = 1;
    sp.calls = 1;
    sp.self_model = -1;
    split_input(s, w->feature, tin, &sp.tokens);
    sp.tokens.output = w->out / n;
    sp.cache_read = w->in > 0 ? fmin(w->cached, w->in) / w->in : 0;
    lever_cost c = lever_spec_cost(&sp, &s->prices, &none, 1);
    after[0] = n * (c.model + c.retrieval);
    for (int k = 0; k < s->nlevers; k++) {
        const lever *l = &s->levers[k];
        if (l->feature_index < 0 || l->feature_index == w->feature) {
            lever_apply(&sp, l, lever_strength(l, month), &s->prices);
            c = lever_spec_cost(&sp, &s->prices, &none, 1);
        }
        after[k + 1] = n * (c.model + c.retrieval);
    }
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* the p-quantile of n sorted values: the smallest value with at least a
 * share p of the values at or below it */
static double quantile_low(const double *v, size_t n, double p)
{
    double k = ceil(p * (double)n);
    size_t i = k < 1 ? 0 : (size_t)k - 1;
    return v[i < n ? i : n - 1];
}

int replay_segments(replay_report *r, const double *rev, const double *cost, const double *requests,
                    const double *months, size_t nc)
{
    static const double top[REPLAY_SEGMENTS - 1] = { 0.5, 0.9, 0.99 };
    memset(r->seg, 0, sizeof r->seg);
    if (!nc)
        return 0;
    double *x = malloc(nc * sizeof *x);
    if (!x)
        return -1;
    for (size_t c = 0; c < nc; c++)
        x[c] = months[c] > 0 ? requests[c] / months[c] : 0;
    double *sorted = malloc(nc * sizeof *sorted);
    if (!sorted) {
        free(x);
        return -1;
    }
    memcpy(sorted, x, nc * sizeof *x);
    qsort(sorted, nc, sizeof *sorted, cmp_double);
    for (int k = 0; k < REPLAY_SEGMENTS - 1; k++)
        r->seg_upper[k] = quantile_low(sorted, nc, top[k]);
    r->seg_upper[REPLAY_SEGMENTS - 1] = sorted[nc - 1];
    free(sorted);
    for (size_t c = 0; c < nc; c++) {
        int k = 0;
        while (k < REPLAY_SEGMENTS - 1 && x[c] > r->seg_upper[k])
            k++;
        replay_segment *g = &r->seg[k];
        g->customers++;
        g->requests += x[c];
        for (int p = 0; p < r->nplans; p++) {
            double ch = rev[c * PLAN_MAX + (size_t)p] - rev[c * PLAN_MAX];
            g->revenue[p] += rev[c * PLAN_MAX + (size_t)p];
            g->cost[p] += cost[c * PLAN_MAX + (size_t)p];
            g->bill_change[p] += ch;
            g->rises[p] += ch > 1e-9;
        }
    }
    for (int k = 0; k < REPLAY_SEGMENTS; k++) {
        replay_segment *g = &r->seg[k];
        if (g->customers <= 0)
            continue;
        g->requests /= g->customers;
        for (int p = 0; p < r->nplans; p++) {
            g->bill_change[p] /= g->customers;
            g->rises[p] = 100 * g->rises[p] / g->customers;
        }
    }
    free(x);
    return 0;
}
