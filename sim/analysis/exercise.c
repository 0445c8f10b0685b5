/* exercise.c: the five steps of the textbook exercise, in closed form.
 *
 * Notation: c = cost of an average interaction, n = interactions of a
 * user-month, P = price, I = infrastructure per user-month, pi = payment
 * share, phi = payment fee per charge, m* = target margin, k = 1 - m* - pi.
 *   other cost  O(P) = I + pi P + phi
 *   flat margin      = (P - n c - O(P)) / P
 *   break-even usage = (P (1 - pi) - I - phi) / c
 * A price that meets m* on its own cost X solves P - X - I - phi - pi P =
 * m* P, i.e. P = (X + I + phi) / k; every option of step 5 is priced so. */
#include "exercise.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *const lever_names[EX_LEVER_COUNT] = {
    "model routing", "prompt caching", "semantic caching", "batching", "output length limits"
};
static const char *const option_names[OPT_COUNT] = {
    "flat (the current plan)", "usage-based", "tiered subscription", "hybrid (base + overage)", "outcome-based"
};

static int cheapest_model(const price_table *pt)
{
    int best = 0;
    for (int i = 1; i < pt->nmodels; i++)
        if (pt->models[i].input + pt->models[i].output < pt->models[best].input + pt->models[best].output)
            best = i;
    return best;
}

/* Model cost of one call of feature f on model m with the levers on. The
 * scenario's own cached share stays; prompt caching raises it to cover the
 * system prompt (models without a cached-input price cache nothing). */
static double call_cost(const feature *f, const model_price *m, double prompt_cache, double output_cut)
{
    const feature_tokens *t = &f->tokens;
    double tin = t->system + t->history + t->user + t->context;
    double cached = m->cached_input >= 0 ? fmax(f->cached_share * tin, prompt_cache * t->system) : 0;
    return ((tin - cached) * m->input + cached * fmax(m->cached_input, 0) + t->output * (1 - output_cut) * m->output)
           / 1e6;
}

double exercise_call_cpi(const scenario *s, const feature *f, int r, double routing, double prompt_cache,
                         double semantic, double batch, double batch_discount, double output_cut)
{
    const price_table *pt = &s->prices;
    const model_price *cheap = &pt->models[cheapest_model(pt)];
    const model_price *m = &pt->models[feature_route_model(f, r)];
    double model = (1 - routing) * call_cost(f, m, prompt_cache, output_cut)
                 + routing * call_cost(f, cheap, prompt_cache, output_cut);
    model *= f->calls * (1 - semantic) * (1 - batch * batch_discount);
    return f->share * feature_route_share(f, r) * (model + cost_interaction(f, r, pt).retrieval);
}

double exercise_cpi(const scenario *s, double routing, double prompt_cache, double semantic, double batch,
                    double batch_discount, double output_cut)
{
    double total = 0;
    for (int i = 0; i < s->nfeatures; i++)
        for (int r = 0; r < feature_route_count(&s->features[i]); r++)
            total += exercise_call_cpi(s, &s->features[i], r, routing, prompt_cache, semantic, batch, batch_discount,
                                       output_cut);
    return total;
}

/* A quantile that is a whole number but for rounding (exp(log(9000))) is
 * made whole, so the quotas built on it are not one too high. */
static double tidy(double v)
{
    double r = nearbyint(v);
    return fabs(v - r) < 1e-9 * fmax(1, fabs(v)) ? r : v;
}

static double other_cost(const scenario *s, double price)
{
    return s->costs.infra_per_customer + s->costs.payment_share * price + (price > 0 ? s->costs.payment_fixed : 0);
}

static double margin_pct(const scenario *s, double revenue, double ai)
{
    return revenue > 0 ? 100 * (revenue - ai - other_cost(s, revenue)) / revenue : NAN;
}

/* Step 1: every AI call of an average interaction, and how many calls the
 * median user makes a month (x->n[1] set). */
static void step_calls(const scenario *s, exercise_result *x)
{
    for (int i = 0; i < s->nfeatures; i++) {
        const feature *f = &s->features[i];
        for (int r = 0; r < feature_route_count(f); r++) {
            ex_call *c = &x->calls[x->ncalls++];
            interaction_cost ic = cost_interaction(f, r, &s->prices);
            c->f = f;
            c->route = r;
            c->model = &s->prices.models[feature_route_model(f, r)];
            c->share = f->share * feature_route_share(f, r);
            c->calls = f->calls;
            c->in_tokens = f->tokens.system + f->tokens.history + f->tokens.user + f->tokens.context;
            c->out_tokens = f->tokens.output;
            c->cost_per_call = (ic.input + ic.output) / f->calls;
            c->retrieval = ic.retrieval;
            c->per_interaction = c->share * ic.total;
            c->calls_per_month = x->n[1] * c->share * c->calls;
        }
    }
}

/* Step 4: each lever alone, and all together; the margins of step 3's
 * users with every lever (x->cpi and x->n set). */
static void step_levers(const scenario *s, exercise_result *x)
{
    const exercise_cfg *e = &s->exercise;
    x->route_model = &s->prices.models[cheapest_model(&s->prices)];
    const double alone[EX_LEVER_COUNT][5] = {
        { e->routing_share, 0, 0, 0, 0 }, { 0, e->prompt_cache_share, 0, 0, 0 }, { 0, 0, e->semantic_hit_rate, 0, 0 },
        { 0, 0, 0, e->batch_share, 0 }, { 0, 0, 0, 0, e->output_reduction },
    };
    for (int l = 0; l < EX_LEVER_COUNT; l++) {
        ex_lever_row *lr = &x->levers[l];
        lr->name = lever_names[l];
        lr->cpi = exercise_cpi(s, alone[l][0], alone[l][1], alone[l][2], alone[l][3], e->batch_discount, alone[l][4]);
        lr->saving = x->cpi > 0 ? 1 - lr->cpi / x->cpi : 0;
        if (lr->saving < 1e-12) {
            static const char *const why[EX_LEVER_COUNT] = {
                "the features already use %s, the cheapest model, or routing_share is 0",
                "no system prompt, no cached-input price, or prompt_cache_share is 0",
                "semantic_hit_rate is 0", "batch_share is 0 (a real-time product)", "output_reduction is 0"
            };
            snprintf(lr->note, sizeof lr->note, why[l], x->route_model->name);
        } else if (l == EX_ROUTING) {
            /* a catalog lists many models: say which one the calls go to */
            snprintf(lr->note, sizeof lr->note, "to %s, the cheapest model", x->route_model->name);
        }
    }
    x->cpi_opt = exercise_cpi(s, e->routing_share, e->prompt_cache_share, e->semantic_hit_rate, e->batch_share,
                              e->batch_discount, e->output_reduction);
    for (int i = 0; i < 3; i++) {
        x->ai_opt[i] = x->n[i] * x->cpi_opt;
        x->margin_opt[i] = margin_pct(s, x->price, x->ai_opt[i]);
    }
}

/* The usage distribution's CDF at q, by bisection on its quantile: the
 * share of users making at most q interactions. */
static double usage_cdf(const usage_dist *u, double q)
{
    double lo = 0, hi = 1;
    for (int i = 0; i < 60; i++) {
        double mid = (lo + hi) / 2;
        if (tidy(usage_dist_quantile(u, mid)) <= q)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

/* Step 5's tiers. Quotas at the P50, the P90 and four times the P90, each
 * at least twice the one below, so tiers differ even when every user makes
 * the same number of calls. Each price is the larger of the cost floor (the
 * target met by a user who fills the quota, at the optimised cost) and the
 * plan's price doubled per tier: a tiered plan is an upsell on the current
 * price, never a discount under it. Both grow strictly, so prices do too.
 * Each tier's margin is that of its P90 user: the P90 of the users whose
 * usage falls in the tier, or the quota when the tier holds no one. */
static void step_tiers(const scenario *s, exercise_result *x)
{
    double fixed = s->costs.infra_per_customer + s->costs.payment_fixed, c = x->cpi_opt;
    double *q = x->tier_quota;
    q[0] = fmax(1, ceil(x->n[1]));
    q[1] = fmax(ceil(x->n[2]), 2 * q[0]);
    q[2] = fmax(ceil(4 * x->n[2]), 2 * q[1]);
    double below = 0;
    for (int t = 0; t < 3; t++) {
        x->tier_price[t] = fmax((c * q[t] + fixed) / x->keep, x->price * (double)(1 << t));
        double above = usage_cdf(&s->usage, q[t]);
        double n = above - below > 1e-9 ? tidy(usage_dist_quantile(&s->usage, below + 0.9 * (above - below))) : q[t];
        x->tier_n[t] = fmin(n, q[t]);
        x->tier_margin[t] = margin_pct(s, x->tier_price[t], x->tier_n[t] * c);
        below = above;
    }
}

/* Step 5: the five options, each priced to meet the target on its own
 * usage at the optimised cost, with their terms, revenues and margins for
 * step 3's users (steps 1 to 4 done). */
static void step_options(const scenario *s, exercise_result *x)
{
    double fixed = s->costs.infra_per_customer + s->costs.payment_fixed;
    double P = x->price, c = x->cpi_opt, k = x->keep;
    x->n_break_even = c > 0 ? (P * (1 - s->costs.payment_share) - fixed) / c : INFINITY;
    ex_option_row *o = x->options;
    for (int j = 0; j < OPT_COUNT; j++)
        o[j].name = option_names[j];
    if (x->price_recommended)
        o[OPT_FLAT].name = "flat (the price we set)";
    snprintf(o[OPT_FLAT].terms, sizeof o[OPT_FLAT].terms, "$%.2f a month, unlimited", P);
    x->unit_price = c / k + fixed / (k * x->n[1]);
    snprintf(o[OPT_USAGE].terms, sizeof o[OPT_USAGE].terms, "$%.4f per interaction", x->unit_price);
    step_tiers(s, x);
    const double *tier_price = x->tier_price;
    snprintf(o[OPT_TIERED].terms, sizeof o[OPT_TIERED].terms, "$%.2f for %.0f, $%.2f for %.0f, $%.2f for %.0f",
             tier_price[0], x->tier_quota[0], tier_price[1], x->tier_quota[1], tier_price[2], x->tier_quota[2]);
    x->included = ceil(tidy(usage_dist_quantile(&s->usage, 0.75)));
    double base = (c * x->included + fixed) / k, over = c / k;
    snprintf(o[OPT_HYBRID].terms, sizeof o[OPT_HYBRID].terms, "$%.2f including %.0f interactions, $%.4f each after",
             base, x->included, over);
    double ipo = s->exercise.interactions_per_outcome;
    double per_outcome = ipo > 0 ? c * ipo / k + fixed * ipo / (k * x->n[1]) : NAN;
    if (ipo > 0)
        snprintf(o[OPT_OUTCOME].terms, sizeof o[OPT_OUTCOME].terms, "$%.4f per outcome (%.3g interaction%s each)",
                 per_outcome, ipo, ipo == 1 ? "" : "s");
    else
        snprintf(o[OPT_OUTCOME].terms, sizeof o[OPT_OUTCOME].terms,
                 "not an option: set exercise.interactions_per_outcome");
    for (int i = 0; i < 3; i++) {
        double n = x->n[i];
        o[OPT_FLAT].revenue[i] = P;
        o[OPT_USAGE].revenue[i] = x->unit_price * n;
        int t = n <= x->tier_quota[0] ? 0 : n <= x->tier_quota[1] ? 1 : 2;
        o[OPT_TIERED].revenue[i] = tier_price[t] + (n > x->tier_quota[2] ? (n - x->tier_quota[2]) * over : 0);
        o[OPT_HYBRID].revenue[i] = base + (n > x->included ? (n - x->included) * over : 0);
        o[OPT_OUTCOME].revenue[i] = ipo > 0 ? per_outcome * n / ipo : NAN;
        for (int j = 0; j < OPT_COUNT; j++)
            o[j].margin[i] = isnan(o[j].revenue[i]) ? NAN : margin_pct(s, o[j].revenue[i], n * c);
    }
}

/* The recommendation and its reasons, from the flat price's margins for
 * the median and the heavy user (step 5 done). */
static void recommend(const scenario *s, exercise_result *x)
{
    const ex_option_row *o = x->options;
    double P = x->price, ipo = s->exercise.interactions_per_outcome;
    double spread = x->n[1] > 0 ? x->n[2] / x->n[1] : INFINITY;
    const double *fm = o[OPT_FLAT].margin;
    if (fm[2] >= x->target && spread < 1.5) {
        x->recommended = OPT_FLAT;
        snprintf(x->why, sizeof x->why,
                 "Even the heavy (P90) user leaves a %.1f%% margin at $%.2f after the optimisations, above the %.0f%% "
                 "target, and users differ little (the P90 user makes %.1f times the interactions of the median "
                 "one): one flat price fits them all, and tiers would split alike customers.",
                 fm[2], P, x->target, spread);
    } else if (fm[2] >= x->target) {
        x->recommended = OPT_TIERED;
        snprintf(x->why, sizeof x->why,
                 "Even the heavy (P90) user leaves a %.1f%% margin at $%.2f after the optimisations, above the %.0f%% "
                 "target: usage is cheap next to the price. A tiered subscription keeps the predictability of a flat "
                 "price and adds an upsell path (%s); the P90 user makes %.1f times the interactions of the median "
                 "one.",
                 fm[2], P, x->target, o[OPT_TIERED].terms, spread);
    } else if (fm[1] >= x->target) {
        x->recommended = OPT_HYBRID;
        snprintf(x->why, sizeof x->why,
                 "At $%.2f flat the median user leaves %.1f%% but the heavy (P90) user %.1f%%: the tail (%.1f times "
                 "the median's usage) eats the margin, and a flat price breaks even at %.0f interactions a month. A "
                 "hybrid plan includes %.0f interactions (the P75 of usage) and charges each one after, so the P90 "
                 "user's margin becomes %.1f%% while the median user's bill stays at $%.2f.",
                 P, fm[1], fm[2], spread, x->n_break_even, x->included, o[OPT_HYBRID].margin[2],
                 o[OPT_HYBRID].revenue[1]);
    } else if (ipo > 0) {
        x->recommended = OPT_OUTCOME;
        snprintf(x->why, sizeof x->why,
                 "At $%.2f flat even the median user leaves only %.1f%% (target %.0f%%): the price does not cover "
                 "typical usage. Charging per outcome (%s) ties revenue to the work done: margins become %.1f%%, "
                 "%.1f%% and %.1f%% at P25, P50 and P90, and customers pay for results, not tokens.",
                 P, fm[1], x->target, o[OPT_OUTCOME].terms, o[OPT_OUTCOME].margin[0], o[OPT_OUTCOME].margin[1],
                 o[OPT_OUTCOME].margin[2]);
    } else {
        x->recommended = OPT_USAGE;
        snprintf(x->why, sizeof x->why,
                 "At $%.2f flat even the median user leaves only %.1f%% (target %.0f%%): the price does not cover "
                 "typical usage, and raising it would lose the light users. Usage-based pricing at $%.4f per "
                 "interaction makes cost and revenue move together: margins %.1f%%, %.1f%% and %.1f%% at P25, P50 "
                 "and P90.",
                 P, fm[1], x->target, x->unit_price, o[OPT_USAGE].margin[0], o[OPT_USAGE].margin[1],
                 o[OPT_USAGE].margin[2]);
    }
}

int exercise_compute(const scenario *s, int p, exercise_result *x, ts_error *err)
{
    memset(x, 0, sizeof *x);
    x->s = s;
    x->pl = &s->plans[p];
    x->target = 100 * x->pl->target_margin;
    x->keep = 1 - x->pl->target_margin - s->costs.payment_share;
    if (x->keep <= 0)
        return ts_error_set(err, TS_ERR_INPUT, s->source, 0, 0,
                            "plan '%s': a target margin of %g%% plus payment processing of %g%% leaves nothing for "
                            "costs: no price can meet it",
                            x->pl->name, x->target, 100 * s->costs.payment_share);

    /* step 3's users first: step 1 quotes the median user's frequency */
    const double ps[3] = { 0.25, 0.5, 0.9 };
    for (int i = 0; i < 3; i++) {
        x->p[i] = ps[i];
        x->n[i] = tidy(usage_dist_quantile(&s->usage, ps[i]));
    }
    step_calls(s, x);
    /* step 2 */
    x->cpi = cost_interaction_expected(s->features, s->nfeatures, &s->prices).total;
    x->mean_n = usage_dist_mean(&s->usage);
    x->cost_mean = x->mean_n * x->cpi;
    /* step 3; a scenario without a price gets the lowest whole-cent one at
     * which the heavy user meets the target before any optimisation */
    x->price = x->pl->price;
    if (!(x->price > 0)) {
        x->price_recommended = true;
        x->price = ceil(100 * (x->n[2] * x->cpi + s->costs.infra_per_customer + s->costs.payment_fixed) / x->keep) / 100;
        x->price = fmax(x->price, 0.01);
    }
    for (int i = 0; i < 3; i++) {
        x->ai[i] = x->n[i] * x->cpi;
        x->other[i] = other_cost(s, x->price);
        x->margin[i] = margin_pct(s, x->price, x->ai[i]);
    }
    step_levers(s, x);
    step_options(s, x);
    recommend(s, x);
    return TS_OK;
}

/* ---- printing ------------------------------------------------------------- */

static void row(FILE *f, bool md, int n, const char *const *cells, const int *w)
{
    if (md) {
        fputc('|', f);
        for (int i = 0; i < n; i++)
            fprintf(f, " %s |", cells[i]);
        fputc('\n', f);
    } else {
        fputs("  ", f);
        for (int i = 0; i < n; i++)   /* a negative width aligns left */
            fprintf(f, i == 0 || w[i] < 0 ? " %-*s" + (i == 0) : " %*s", abs(w[i]), cells[i]);
        fputc('\n', f);
    }
}

static void rule(FILE *f, bool md, int n)
{
    if (!md)
        return;
    fputc('|', f);
    for (int i = 0; i < n; i++)
        fputs(i ? "---:|" : "---|", f);
    fputc('\n', f);
}

static void heading(FILE *f, bool md, const char *t)
{
    fprintf(f, md ? "## %s\n\n" : "%s\n", t);
}

/* Cells of one table row: eight buffers, as row() wants them; wide enough
 * for a whole note or plan terms, so none is cut mid-word. */
#define CELL 200
typedef struct cells {
    char b[8][CELL];
    const char *cl[8];
} cells;

static void cells_init(cells *c)
{
    for (int i = 0; i < 8; i++)
        c->cl[i] = c->b[i];
}

static const int users_widths[5] = { 22, 14, 12, 10, 10 };
static const char *const users_labels[3] = { "light (P25)", "medium (P50)", "heavy (P90)" };

/* Step 3's table of the three users, with AI costs `ai` and margins `margin`. */
static void print_users(FILE *f, const exercise_result *x, bool md, const double *ai, const double *margin)
{
    cells c;
    cells_init(&c);
    row(f, md, 5, (const char *[]){ "user", "interactions", "AI cost", "price", "margin" }, users_widths);
    rule(f, md, 5);
    for (int i = 0; i < 3; i++) {
        snprintf(c.b[0], CELL, "%s", users_labels[i]);
        snprintf(c.b[1], CELL, "%.1f", x->n[i]);
        snprintf(c.b[2], CELL, "$%.2f", ai[i]);
        snprintf(c.b[3], CELL, "$%.2f", x->price);
        snprintf(c.b[4], CELL, "%.1f%%", margin[i]);
        row(f, md, 5, c.cl, users_widths);
    }
}

/* Each print_step function below writes one step's heading, table and
 * notes to f, as Markdown (md) or as terminal text. */

static void print_step1(FILE *f, const exercise_result *x, bool md)
{
    const scenario *s = x->s;
    cells c;
    cells_init(&c);
    heading(f, md, "Step 1: every AI call");
    const int w1[8] = { 16, 12, 8, 7, 8, 8, 11, 13 };
    const char *h1[8] = { "feature", "model", "share", "calls", "in tok", "out tok", "$ per call", "calls/month P50" };
    row(f, md, 8, h1, w1);
    rule(f, md, 8);
    for (int i = 0; i < x->ncalls; i++) {
        const ex_call *k = &x->calls[i];
        snprintf(c.b[0], CELL, "%s", k->f->name);
        snprintf(c.b[1], CELL, "%s", k->model->name);
        snprintf(c.b[2], CELL, "%.1f%%", 100 * k->share);
        snprintf(c.b[3], CELL, "%g", k->calls);
        snprintf(c.b[4], CELL, "%.0f", k->in_tokens);
        snprintf(c.b[5], CELL, "%.0f", k->out_tokens);
        snprintf(c.b[6], CELL, "%.6f", k->cost_per_call);
        snprintf(c.b[7], CELL, "%.1f", k->calls_per_month);
        row(f, md, 8, c.cl, w1);
    }
    fprintf(f, "%s%s", md ? "\n" : "", md ? "Prices per million tokens (input / cached input / output): " : "  prices per million tokens: ");
    for (int i = 0; i < s->prices.nmodels; i++) {
        const model_price *m = &s->prices.models[i];
        fprintf(f, "%s%s $%g / ", i ? "; " : "", m->name, m->input);
        if (m->cached_input >= 0)
            fprintf(f, "$%g / $%g", m->cached_input, m->output);
        else
            fprintf(f, "- / $%g", m->output);
    }
    fprintf(f, "\n\n");
}

static void print_step2(FILE *f, const exercise_result *x, bool md)
{
    heading(f, md, "Step 2: cost per user per month");
    fprintf(f, "%sAn average interaction costs $%.6f. The mean user makes %.1f interactions a month: $%.4f of AI cost; the "
               "median user %.1f: $%.4f.\n\n",
            md ? "" : "  ", x->cpi, x->mean_n, x->cost_mean, x->n[1], x->ai[1]);
}

static void print_step3(FILE *f, const exercise_result *x, bool md)
{
    heading(f, md, "Step 3: light, medium and heavy users");
    print_users(f, x, md, x->ai, x->margin);
    fprintf(f, "%s%sOther costs: $%.2f per user-month (infrastructure, payment processing).\n\n", md ? "\n" : "",
            md ? "" : "  ", x->other[0]);
}

static void print_step4(FILE *f, const exercise_result *x, bool md)
{
    cells c;
    cells_init(&c);
    heading(f, md, "Step 4: optimisations");
    const int w4[4] = { 22, 18, 8, -50 };
    const char *h4[4] = { "lever", "$ per interaction", "saving", "note" };
    row(f, md, 4, h4, w4);
    rule(f, md, 4);
    snprintf(c.b[0], CELL, "none (baseline)");
    snprintf(c.b[1], CELL, "%.6f", x->cpi);
    snprintf(c.b[2], CELL, "-");
    snprintf(c.b[3], CELL, "%s", "");
    row(f, md, 4, c.cl, w4);
    for (int l = 0; l < EX_LEVER_COUNT; l++) {
        snprintf(c.b[0], CELL, "%s", x->levers[l].name);
        snprintf(c.b[1], CELL, "%.6f", x->levers[l].cpi);
        snprintf(c.b[2], CELL, "%.1f%%", 100 * x->levers[l].saving);
        snprintf(c.b[3], CELL, "%s", x->levers[l].note);
        row(f, md, 4, c.cl, w4);
    }
    snprintf(c.b[0], CELL, "all together");
    snprintf(c.b[1], CELL, "%.6f", x->cpi_opt);
    snprintf(c.b[2], CELL, "%.1f%%", x->cpi > 0 ? 100 * (1 - x->cpi_opt / x->cpi) : 0);
    snprintf(c.b[3], CELL, "%s", "");
    row(f, md, 4, c.cl, w4);
    const exercise_cfg *e = &x->s->exercise;
    fprintf(f, "%s%sAssumed: %.0f%% of traffic routed to %s (the cheapest model), %.0f%% of the system prompt "
               "cached, %.0f%% semantic-cache hits, %.0f%% batched at %.0f%% off, %.0f%% fewer output tokens.\n\n",
            md ? "\n" : "", md ? "" : "  ", 100 * e->routing_share, x->route_model->name, 100 * e->prompt_cache_share,
            100 * e->semantic_hit_rate, 100 * e->batch_share, 100 * e->batch_discount, 100 * e->output_reduction);
    print_users(f, x, md, x->ai_opt, x->margin_opt);
    fputc('\n', f);
}

/* Step 5's tiers, each with the margin of its P90 user. */
static void print_tiers(FILE *f, const exercise_result *x, bool md)
{
    cells c;
    cells_init(&c);
    fprintf(f, "\n%sThe tiers, each at least the plan's price doubled per tier, with the margin of the P90 user "
               "among the tier's users after the optimisations:\n\n",
            md ? "" : "  ");
    const int wt[5] = { 6, 16, 11, 16, 10 };
    row(f, md, 5, (const char *[]){ "tier", "interactions", "price", "tier's P90 user", "margin" }, wt);
    rule(f, md, 5);
    for (int t = 0; t < 3; t++) {
        snprintf(c.b[0], CELL, "%d", t + 1);
        snprintf(c.b[1], CELL, "up to %.0f", x->tier_quota[t]);
        snprintf(c.b[2], CELL, "$%.2f", x->tier_price[t]);
        snprintf(c.b[3], CELL, "%.1f", x->tier_n[t]);
        snprintf(c.b[4], CELL, "%.1f%%", x->tier_margin[t]);
        row(f, md, 5, c.cl, wt);
    }
}

static void print_step5(FILE *f, const exercise_result *x, bool md)
{
    cells c;
    cells_init(&c);
    heading(f, md, "Step 5: pricing");
    if (isfinite(x->n_break_even))
        fprintf(f, "%sWith the optimisations, the flat price breaks even at %.0f interactions a month.", md ? "" : "  ",
                x->n_break_even);
    else
        fprintf(f, "%sWith the optimisations, interactions cost nothing: the flat price never breaks even.",
                md ? "" : "  ");
    fprintf(f, " Each option below is priced to meet the %.0f%% target on its own usage:\n\n", x->target);
    const int w5[5] = { 26, -56, 11, 11, 11 };
    row(f, md, 5, (const char *[]){ "option", "terms", "margin P25", "margin P50", "margin P90" }, w5);
    rule(f, md, 5);
    for (int j = 0; j < OPT_COUNT; j++) {
        const ex_option_row *o = &x->options[j];
        snprintf(c.b[0], CELL, "%s%s", o->name, j == x->recommended ? " *" : "");
        snprintf(c.b[1], CELL, "%s", o->terms);
        for (int i = 0; i < 3; i++) {
            if (isnan(o->margin[i]))
                snprintf(c.b[2 + i], CELL, "-");
            else
                snprintf(c.b[2 + i], CELL, "%.1f%%", o->margin[i]);
        }
        row(f, md, 5, c.cl, w5);
    }
    print_tiers(f, x, md);
    fprintf(f, "\n%sRecommendation: %s.%s\n", md ? "**" : "  ", x->options[x->recommended].name, md ? "**" : "");
    fprintf(f, "%s%s\n", md ? "\n" : "  ", x->why);
}

void exercise_print(FILE *f, const exercise_result *x, bool md)
{
    const scenario *s = x->s;
    if (md)
        fprintf(f, "# Cost model: %s\n\nPlan '%s' at $%.2f a month, target margin %.0f%%. Prices of %s.\n\n", s->name,
                x->pl->name, x->price, x->target, s->prices.date);
    else
        fprintf(f, "tokensim exercise: %s\nplan '%s' at $%.2f a month, target margin %.0f%%, prices of %s\n\n",
                s->name, x->pl->name, x->price, x->target, s->prices.date);
    if (x->price_recommended)
        fprintf(f, "%sThe scenario gives no price, so this exercise sets one: $%.2f a month, the lowest at which the "
                   "heavy (P90) user meets the %.0f%% target before any optimisation (AI cost $%.2f plus other costs, "
                   "over what the target and payment processing leave: %.0f%%).\n\n",
                md ? "" : "  ", x->price, x->target, x->ai[2], 100 * x->keep);
    print_step1(f, x, md);
    print_step2(f, x, md);
    print_step3(f, x, md);
    print_step4(f, x, md);
    print_step5(f, x, md);
}

/* ---- JSON ----------------------------------------------------------------- */

#include "sim/output/json.h"

static cJSON *three(const double *v, double scale)
{
    cJSON *a = cJSON_CreateArray();
    for (int i = 0; i < 3; i++)
        cJSON_AddItemToArray(a, json_number_create(v[i] * scale));
    return a;
}

char *exercise_json(const exercise_result *x)
{
    cJSON *o = json_document_create();
    cJSON_AddStringToObject(o, "scenario", x->s->name);
    cJSON_AddStringToObject(o, "plan", x->pl->name);
    json_number_add(o, "price", x->price);
    cJSON_AddBoolToObject(o, "price_recommended", x->price_recommended);
    cJSON_AddStringToObject(o, "routing_model", x->route_model->name);
    json_number_add(o, "cost_per_interaction", x->cpi);
    json_number_add(o, "mean_interactions", x->mean_n);
    json_number_add(o, "cost_of_mean_user", x->cost_mean);
    cJSON_AddItemToObject(o, "interactions", three(x->n, 1));
    cJSON_AddItemToObject(o, "ai_cost", three(x->ai, 1));
    cJSON_AddItemToObject(o, "margin", three(x->margin, 0.01));
    cJSON *lev = cJSON_AddObjectToObject(o, "levers");
    for (int l = 0; l < EX_LEVER_COUNT; l++)
        json_number_add(lev, x->levers[l].name, x->levers[l].cpi);
    cJSON *notes = cJSON_AddObjectToObject(o, "lever_notes");
    for (int l = 0; l < EX_LEVER_COUNT; l++)
        cJSON_AddStringToObject(notes, x->levers[l].name, x->levers[l].note);
    json_number_add(o, "cost_per_interaction_optimised", x->cpi_opt);
    cJSON_AddItemToObject(o, "margin_optimised", three(x->margin_opt, 0.01));
    json_number_add(o, "break_even_interactions", x->n_break_even);
    json_number_add(o, "usage_price", x->unit_price);
    cJSON *opts = cJSON_AddArrayToObject(o, "options");
    for (int j = 0; j < OPT_COUNT; j++) {
        cJSON *p = cJSON_CreateObject();
        cJSON_AddStringToObject(p, "option", x->options[j].name);
        cJSON_AddStringToObject(p, "terms", x->options[j].terms);
        cJSON_AddItemToObject(p, "revenue", three(x->options[j].revenue, 1));
        cJSON_AddItemToObject(p, "margin", three(x->options[j].margin, 0.01));
        cJSON_AddItemToArray(opts, p);
    }
    cJSON *tiers = cJSON_AddArrayToObject(o, "tiers");
    for (int t = 0; t < 3; t++) {
        cJSON *p = cJSON_CreateObject();
        json_number_add(p, "quota", x->tier_quota[t]);
        json_number_add(p, "price", x->tier_price[t]);
        json_number_add(p, "p90_interactions", x->tier_n[t]);
        json_number_add(p, "margin", x->tier_margin[t] / 100);
        cJSON_AddItemToArray(tiers, p);
    }
    cJSON_AddStringToObject(o, "recommendation", x->options[x->recommended].name);
    cJSON_AddStringToObject(o, "why", x->why);
    return json_text_take(o);
}
