/* exercise_xlsx.c: the exercise as a spreadsheet whose cells hold formulas.
 *
 * Sheet "Inputs" holds every number a student may change, each with a
 * defined name (Price, Users_P50, Routing...); "AI calls" maps every call and
 * prices it with formulas over the inputs; "Users", "Optimisations" and
 * "Pricing" compute steps 2 to 5 from those; "Break-even" charts a user's
 * revenue and cost against usage. Each formula also carries the
 * value tokensim computed, so the file reads right before any recalculation,
 * and the tests strip those values and let a spreadsheet recompute them. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "exercise.h"

typedef struct book {
    lxw_workbook *wb;
    lxw_format *bold, *money, *money6, *pct, *num, *wrap;
    int errors;
} book;

static void col_name(int c, char *out)
{
    char tmp[8];
    int n = 0;
    for (c = c + 1; c > 0; c = (c - 1) / 26)
        tmp[n++] = (char)('A' + (c - 1) % 26);
    for (int i = 0; i < n; i++)
        out[i] = tmp[n - 1 - i];
    out[n] = 0;
}

static void put_formula(book *b, lxw_worksheet *ws, int r, int c, const char *f, lxw_format *fmt, double v)
{
    if (worksheet_write_formula_num(ws, (lxw_row_t)r, (lxw_col_t)c, f, fmt, isfinite(v) ? v : 0) != LXW_NO_ERROR)
        b->errors++;
}

static void put_num(book *b, lxw_worksheet *ws, int r, int c, double v, lxw_format *fmt)
{
    if (worksheet_write_number(ws, (lxw_row_t)r, (lxw_col_t)c, v, fmt) != LXW_NO_ERROR)
        b->errors++;
}

static void put_str(book *b, lxw_worksheet *ws, int r, int c, const char *s, lxw_format *fmt)
{
    if (worksheet_write_string(ws, (lxw_row_t)r, (lxw_col_t)c, s, fmt) != LXW_NO_ERROR)
        b->errors++;
}

/* An input: label in A, value in B, a defined name for B. */
static void input(book *b, lxw_worksheet *ws, int r, const char *name, const char *label, double v, lxw_format *fmt)
{
    char ref[64];
    put_str(b, ws, r, 0, label, NULL);
    put_num(b, ws, r, 1, v, fmt);
    put_str(b, ws, r, 2, name, NULL);
    snprintf(ref, sizeof ref, "=Inputs!$B$%d", r + 1);
    if (workbook_define_name(b->wb, name, ref) != LXW_NO_ERROR)
        b->errors++;
}

/* The per-call model cost on the row's own model (cheap = 0) or on the
 * cheapest model (cheap = 1), with prompt caching `pc` and output cut `cut`
 * given as names or numbers. Columns: E system, F history, G user, H
 * context, I output, J/K/L own prices, N cached share, O/P/Q cheap prices. */
static void call_formula(char *out, size_t n, int row, int cheap, const char *pc, const char *cut)
{
    const char *pin = cheap ? "O" : "J", *pca = cheap ? "P" : "K", *pout = cheap ? "Q" : "L";
    char tin[64], cached[200];
    snprintf(tin, sizeof tin, "(E%d+F%d+G%d+H%d)", row, row, row, row);
    snprintf(cached, sizeof cached, "IF(%s%d=\"\",0,MAX(N%d*%s,%s*E%d))", pca, row, row, tin, pc, row);
    snprintf(out, n, "((%s-%s)*%s%d+%s*IF(%s%d=\"\",0,%s%d)+I%d*(1-%s)*%s%d)/1000000", tin, cached, pin, row, cached,
             pca, row, pca, row, row, cut, pout, row);
}

static void contribution(char *out, size_t n, int row, const char *r, const char *pc, const char *sem,
                         const char *batch, const char *cut)
{
    char own[600], cheap[600];
    call_formula(own, sizeof own, row, 0, pc, cut);
    call_formula(cheap, sizeof cheap, row, 1, pc, cut);
    snprintf(out, n, "=C%d*(D%d*((1-%s)*%s+%s*%s)*(1-%s)*(1-%s*BatchDiscount)+M%d)", row, row, r, own, r, cheap, sem,
             batch, row);
}

static double other_cost(const scenario *s, double price)
{
    return s->costs.infra_per_customer + s->costs.payment_share * price + (price > 0 ? s->costs.payment_fixed : 0);
}

/* Defined names of the total cost of one interaction on the "AI calls"
 * sheet: as it is, with every lever, and with each lever alone. */
static const char *const cpi_names[7] = { "CPI", "CPIopt", "CPIrouting", "CPIprompt", "CPIsemantic", "CPIbatch",
                                          "CPIoutput" };
/* Defined names of the light, medium and heavy users' interactions. */
static const char *const user_names[3] = { "Users_P25", "Users_P50", "Users_P90" };
static const char *const user_labels[3] = { "light (P25)", "medium (P50)", "heavy (P90)" };

/* Each sheet function below adds one sheet to b's workbook; a cell the
 * library refuses is counted in b->errors, reported when the book closes. */

/* Sheet "Inputs": every number a student may change, each with a name. */
static void sheet_inputs(book *b, const exercise_result *x)
{
    const scenario *s = x->s;
    const exercise_cfg *e = &s->exercise;
    lxw_worksheet *in = workbook_add_worksheet(b->wb, "Inputs");
    worksheet_set_column(in, 0, 0, 58, NULL);
    worksheet_set_column(in, 1, 2, 16, NULL);
    put_str(b, in, 0, 0, "Inputs: change any value in column B; every other sheet follows", b->bold);
    input(b, in, 1, "Price",
          x->price_recommended ? "price of the plan ($ per user-month; the scenario has none: ours)"
                               : "price of the plan ($ per user-month)",
          x->price, b->money);
    input(b, in, 2, "Target", "target gross margin", x->pl->target_margin, b->pct);
    input(b, in, 3, "Infra", "infrastructure ($ per user-month)", s->costs.infra_per_customer, b->money);
    input(b, in, 4, "PayShare", "payment processing (share of revenue)", s->costs.payment_share, b->pct);
    input(b, in, 5, "PayFixed", "payment processing ($ per charge)", s->costs.payment_fixed, b->money);
    input(b, in, 6, "Users_P25", "interactions per month, light user (P25)", x->n[0], b->num);
    input(b, in, 7, "Users_P50", "interactions per month, medium user (P50)", x->n[1], b->num);
    input(b, in, 8, "Users_P90", "interactions per month, heavy user (P90)", x->n[2], b->num);
    input(b, in, 9, "Users_P75", "interactions per month at P75 (hybrid's included units)", x->included, b->num);
    input(b, in, 10, "Users_mean", "interactions per month, mean user", x->mean_n, b->num);
    input(b, in, 11, "Routing", "model routing: share moved to the cheapest model", e->routing_share, b->pct);
    input(b, in, 12, "PromptCache", "prompt caching: share of the system prompt cached", e->prompt_cache_share,
          b->pct);
    input(b, in, 13, "SemHit", "semantic caching: hit rate", e->semantic_hit_rate, b->pct);
    input(b, in, 14, "BatchShare", "batching: share of interactions batched", e->batch_share, b->pct);
    input(b, in, 15, "BatchDiscount", "batching: discount of the batch API", e->batch_discount, b->pct);
    input(b, in, 16, "OutCut", "output limits: share of output tokens cut", e->output_reduction, b->pct);
    input(b, in, 17, "IPO", "interactions per outcome (0: no outcome pricing)", e->interactions_per_outcome, b->num);
}

static int cheapest_model(const price_table *pt)
{
    int best = 0;
    for (int i = 1; i < pt->nmodels; i++)
        if (pt->models[i].input + pt->models[i].output < pt->models[best].input + pt->models[best].output)
            best = i;
    return best;
}

/* Row r of "AI calls": call i's inputs, its cost, and its contribution to
 * one interaction with every lever and with each lever alone (the formula
 * and, cached beside it, the value tokensim computed). */
static void calls_row(book *b, lxw_worksheet *ca, const exercise_result *x, int i, const model_price *cm)
{
    const scenario *s = x->s;
    const exercise_cfg *e = &s->exercise;
    const ex_call *c = &x->calls[i];
    const feature_tokens *t = &c->f->tokens;
    int r = i + 1, row = r + 1;
    char f[2400];
    put_str(b, ca, r, 0, c->f->name, NULL);
    put_str(b, ca, r, 1, c->model->name, NULL);
    put_num(b, ca, r, 2, c->share, b->pct);
    put_num(b, ca, r, 3, c->calls, NULL);
    const double tok[5] = { t->system, t->history, t->user, t->context, t->output };
    for (int k = 0; k < 5; k++)
        put_num(b, ca, r, 4 + k, tok[k], NULL);
    put_num(b, ca, r, 9, c->model->input, NULL);
    if (c->model->cached_input >= 0)
        put_num(b, ca, r, 10, c->model->cached_input, NULL);
    put_num(b, ca, r, 11, c->model->output, NULL);
    put_num(b, ca, r, 12, c->retrieval, b->money6);
    put_num(b, ca, r, 13, c->f->cached_share, NULL);
    put_num(b, ca, r, 14, cm->input, NULL);
    if (cm->cached_input >= 0)
        put_num(b, ca, r, 15, cm->cached_input, NULL);
    put_num(b, ca, r, 16, cm->output, NULL);
    char base[700];
    call_formula(base, sizeof base, row, 0, "0", "0");
    snprintf(f, sizeof f, "=%s", base);
    put_formula(b, ca, r, 17, f, b->money6, c->cost_per_call);
    snprintf(f, sizeof f, "=C%d*(D%d*R%d+M%d)", row, row, row, row);
    put_formula(b, ca, r, 18, f, b->money6, c->per_interaction);
    snprintf(f, sizeof f, "=Users_P50*C%d*D%d", row, row);
    put_formula(b, ca, r, 19, f, b->num, c->calls_per_month);
    /* every lever, then each alone: as names in the formulas, as numbers for the cached values */
    const char *args[6][5] = {
        { "Routing", "PromptCache", "SemHit", "BatchShare", "OutCut" }, { "Routing", "0", "0", "0", "0" },
        { "0", "PromptCache", "0", "0", "0" }, { "0", "0", "SemHit", "0", "0" }, { "0", "0", "0", "BatchShare", "0" },
        { "0", "0", "0", "0", "OutCut" },
    };
    const double lv[6][5] = {
        { e->routing_share, e->prompt_cache_share, e->semantic_hit_rate, e->batch_share, e->output_reduction },
        { e->routing_share, 0, 0, 0, 0 }, { 0, e->prompt_cache_share, 0, 0, 0 }, { 0, 0, e->semantic_hit_rate, 0, 0 },
        { 0, 0, 0, e->batch_share, 0 }, { 0, 0, 0, 0, e->output_reduction },
    };
    for (int l = 0; l < 6; l++) {
        contribution(f, sizeof f, row, args[l][0], args[l][1], args[l][2], args[l][3], args[l][4]);
        put_formula(b, ca, r, 20 + l, f, b->money6,
                    exercise_call_cpi(s, c->f, c->route, lv[l][0], lv[l][1], lv[l][2], lv[l][3], e->batch_discount,
                                      lv[l][4]));
    }
}

/* Sheet "AI calls" (step 1): one row per feature and model, then the
 * totals, each given its name from cpi_names. */
static void sheet_calls(book *b, const exercise_result *x)
{
    lxw_worksheet *ca = workbook_add_worksheet(b->wb, "AI calls");
    worksheet_set_column(ca, 0, 1, 16, NULL);
    worksheet_set_column(ca, 2, 25, 12, NULL);
    const char *hdr[26] = { "feature", "model", "share of interactions", "calls per interaction", "system tokens",
                            "history tokens", "user tokens", "context tokens", "output tokens", "$/M input",
                            "$/M cached input", "$/M output", "$ retrieval per interaction", "cached share",
                            "cheapest $/M input", "cheapest $/M cached", "cheapest $/M output", "$ per call",
                            "$ per average interaction", "calls per month (P50 user)", "optimised: all levers",
                            "routing alone", "prompt caching alone", "semantic caching alone", "batching alone",
                            "output limits alone" };
    for (int c = 0; c < 26; c++)
        put_str(b, ca, 0, c, hdr[c], b->bold);
    const model_price *cm = &x->s->prices.models[cheapest_model(&x->s->prices)];
    for (int i = 0; i < x->ncalls; i++)
        calls_row(b, ca, x, i, cm);
    int tot = x->ncalls + 1, last = x->ncalls + 1;
    put_str(b, ca, tot, 0, "one average interaction", b->bold);
    const double vals[7] = { x->cpi, x->cpi_opt, x->levers[0].cpi, x->levers[1].cpi, x->levers[2].cpi,
                             x->levers[3].cpi, x->levers[4].cpi };
    const int cols[7] = { 18, 20, 21, 22, 23, 24, 25 };
    for (int k = 0; k < 7; k++) {
        char cn[8], ref[80], f[80];
        col_name(cols[k], cn);
        snprintf(f, sizeof f, "=SUM(%s2:%s%d)", cn, cn, last);
        put_formula(b, ca, tot, cols[k], f, b->money6, vals[k]);
        snprintf(ref, sizeof ref, "='AI calls'!$%s$%d", cn, tot + 1);
        if (workbook_define_name(b->wb, cpi_names[k], ref) != LXW_NO_ERROR)
            b->errors++;
    }
}

/* Sheet "Users" (steps 2 and 3, and step 4's margins): the light, medium
 * and heavy users' cost and margin, before and after the levers. */
static void sheet_users(book *b, const exercise_result *x)
{
    char f[200];
    lxw_worksheet *us = workbook_add_worksheet(b->wb, "Users");
    worksheet_set_column(us, 0, 0, 36, NULL);
    worksheet_set_column(us, 1, 8, 16, NULL);
    put_str(b, us, 0, 0, "cost of an average interaction", b->bold);
    put_formula(b, us, 0, 1, "=CPI", b->money6, x->cpi);
    put_str(b, us, 1, 0, "AI cost of the mean user per month", b->bold);
    put_formula(b, us, 1, 1, "=Users_mean*CPI", b->money, x->cost_mean);
    const char *uh[8] = { "user", "interactions", "AI cost", "price", "other cost", "margin", "AI cost optimised",
                          "margin optimised" };
    for (int c = 0; c < 8; c++)
        put_str(b, us, 3, c, uh[c], b->bold);
    for (int i = 0; i < 3; i++) {
        int r = 4 + i, row = r + 1;
        put_str(b, us, r, 0, user_labels[i], NULL);
        snprintf(f, sizeof f, "=%s", user_names[i]);
        put_formula(b, us, r, 1, f, b->num, x->n[i]);
        snprintf(f, sizeof f, "=B%d*CPI", row);
        put_formula(b, us, r, 2, f, b->money, x->ai[i]);
        put_formula(b, us, r, 3, "=Price", b->money, x->price);
        put_formula(b, us, r, 4, "=Infra+PayShare*Price+IF(Price>0,PayFixed,0)", b->money, x->other[i]);
        snprintf(f, sizeof f, "=(D%d-C%d-E%d)/D%d", row, row, row, row);
        put_formula(b, us, r, 5, f, b->pct, x->margin[i] / 100);
        snprintf(f, sizeof f, "=B%d*CPIopt", row);
        put_formula(b, us, r, 6, f, b->money, x->ai_opt[i]);
        snprintf(f, sizeof f, "=(D%d-G%d-E%d)/D%d", row, row, row, row);
        put_formula(b, us, r, 7, f, b->pct, x->margin_opt[i] / 100);
    }
}

/* Sheet "Optimisations" (step 4): each lever's cost of an interaction and
 * saving, then all of them together. */
static void sheet_optimisations(book *b, const exercise_result *x)
{
    char f[80];
    lxw_worksheet *op = workbook_add_worksheet(b->wb, "Optimisations");
    worksheet_set_column(op, 0, 0, 30, NULL);
    worksheet_set_column(op, 1, 2, 18, NULL);
    put_str(b, op, 0, 0, "lever", b->bold);
    put_str(b, op, 0, 1, "$ per interaction", b->bold);
    put_str(b, op, 0, 2, "saving", b->bold);
    put_str(b, op, 1, 0, "none (baseline)", NULL);
    put_formula(b, op, 1, 1, "=CPI", b->money6, x->cpi);
    for (int l = 0; l <= EX_LEVER_COUNT; l++) {
        int r = 2 + l;
        const char *nm = l < EX_LEVER_COUNT ? x->levers[l].name : "all together";
        double v = l < EX_LEVER_COUNT ? x->levers[l].cpi : x->cpi_opt;
        put_str(b, op, r, 0, nm, NULL);
        snprintf(f, sizeof f, "=%s", l < EX_LEVER_COUNT ? cpi_names[2 + l] : "CPIopt");
        put_formula(b, op, r, 1, f, b->money6, v);
        snprintf(f, sizeof f, "=1-B%d/CPI", r + 1);
        put_formula(b, op, r, 2, f, b->pct, x->cpi > 0 ? 1 - v / x->cpi : 0);
    }
}

/* The prices of step 5 in column B of "Pricing", rows 2 to 14 (the option
 * formulas refer to them by those cells). Returns the number of rows. */
static int pricing_values(book *b, lxw_worksheet *pr, const exercise_result *x)
{
    const scenario *s = x->s;
    double k = x->keep, c = x->cpi_opt, fixed = s->costs.infra_per_customer + s->costs.payment_fixed;
    double ipo = s->exercise.interactions_per_outcome;
    struct { const char *label, *formula; double v; lxw_format *fmt; } pv[] = {
        { "share of revenue left for costs (K)", "=1-Target-PayShare", k, b->pct },
        { "flat price breaks even at (interactions)", "=(Price*(1-PayShare)-Infra-PayFixed)/CPIopt", x->n_break_even,
          b->num },
        { "usage-based: price per interaction", "=CPIopt/B2+(Infra+PayFixed)/(B2*Users_P50)", x->unit_price, b->money6 },
        { "tier 1 quota", "=MAX(1,CEILING(Users_P50,1))", x->tier_quota[0], b->num },
        { "tier 2 quota", "=MAX(CEILING(Users_P90,1),2*B5)", x->tier_quota[1], b->num },
        { "tier 3 quota", "=MAX(CEILING(4*Users_P90,1),2*B6)", x->tier_quota[2], b->num },
        { "tier 1 price", "=MAX((CPIopt*B5+Infra+PayFixed)/B2,Price)", x->tier_price[0], b->money },
        { "tier 2 price", "=MAX((CPIopt*B6+Infra+PayFixed)/B2,2*Price)", x->tier_price[1], b->money },
        { "tier 3 price", "=MAX((CPIopt*B7+Infra+PayFixed)/B2,4*Price)", x->tier_price[2], b->money },
        { "hybrid: included interactions (P75)", "=CEILING(Users_P75,1)", x->included, b->num },
        { "hybrid: base fee", "=(CPIopt*B11+Infra+PayFixed)/B2", (c * x->included + fixed) / k, b->money },
        { "overage price per interaction", "=CPIopt/B2", c / k, b->money6 },
        { "outcome-based: price per outcome", "=IF(IPO>0,CPIopt*IPO/B2+(Infra+PayFixed)*IPO/(B2*Users_P50),0)",
          ipo > 0 ? c * ipo / k + fixed * ipo / (k * x->n[1]) : 0, b->money6 },
    };
    int npv = (int)(sizeof pv / sizeof pv[0]);
    for (int i = 0; i < npv; i++) {
        put_str(b, pr, i + 1, 0, pv[i].label, NULL);
        put_formula(b, pr, i + 1, 1, pv[i].formula, pv[i].fmt, pv[i].v);
    }
    return npv;
}

/* Sheet "Pricing" (step 5): the prices, then each option's revenue and
 * margin for the three users, then the recommendation and why. */
static void sheet_pricing(book *b, const exercise_result *x)
{
    const scenario *s = x->s;
    char f[400];
    lxw_worksheet *pr = workbook_add_worksheet(b->wb, "Pricing");
    worksheet_set_column(pr, 0, 0, 44, NULL);
    worksheet_set_column(pr, 1, 7, 15, NULL);
    const ex_option_row *o = x->options;
    int h = pricing_values(b, pr, x) + 2;
    const char *ph[7] = { "option", "revenue P25", "revenue P50", "revenue P90", "margin P25", "margin P50",
                          "margin P90" };
    for (int cc = 0; cc < 7; cc++)
        put_str(b, pr, h, cc, ph[cc], b->bold);
    const char *rev[OPT_COUNT] = {
        "=Price", "=B4*%s", "=IF(%s<=B5,B8,IF(%s<=B6,B9,B10+MAX(0,%s-B7)*B13))", "=B12+MAX(0,%s-B11)*B13",
        "=IF(IPO>0,B14*%s/IPO,0)"
    };
    for (int j = 0; j < OPT_COUNT; j++) {
        int r = h + 1 + j, row = r + 1;
        put_str(b, pr, r, 0, o[j].name, j == x->recommended ? b->bold : NULL);
        for (int i = 0; i < 3; i++) {
            snprintf(f, sizeof f, rev[j], user_names[i], user_names[i], user_names[i]);
            put_formula(b, pr, r, 1 + i, f, b->money, isnan(o[j].revenue[i]) ? 0 : o[j].revenue[i]);
            char cn[8];
            col_name(1 + i, cn);
            snprintf(f, sizeof f, "=IF(%s%d>0,(%s%d-%s*CPIopt-(Infra+PayShare*%s%d+PayFixed))/%s%d,\"-\")", cn, row, cn,
                     row, user_names[i], cn, row, cn, row);
            double rv = o[j].revenue[i];
            double mv = isnan(rv) || rv <= 0 ? 0 : (rv - x->n[i] * x->cpi_opt - other_cost(s, rv)) / rv;
            put_formula(b, pr, r, 4 + i, f, b->pct, mv);
        }
    }
    put_str(b, pr, h + OPT_COUNT + 2, 0, "recommendation", b->bold);
    put_str(b, pr, h + OPT_COUNT + 2, 1, o[x->recommended].name, b->bold);
    put_str(b, pr, h + OPT_COUNT + 3, 0, x->why, NULL);
}

/* Sheet "Break-even": a user's revenue and cost against usage, today and
 * with every lever, as formulas over the inputs, and a chart of them; the
 * lines cross where the flat price breaks even. The usage axis runs past
 * the heavy user, and past the break-even point unless that is far away. */
static void sheet_break_even(book *b, const exercise_result *x)
{
    enum { POINTS = 21 };
    lxw_worksheet *be = workbook_add_worksheet(b->wb, "Break-even");
    worksheet_set_column(be, 0, 3, 22, NULL);
    const char *hdr[4] = { "interactions a month", "revenue (price)", "cost today", "cost optimised" };
    for (int c = 0; c < 4; c++)
        put_str(b, be, 0, c, hdr[c], b->bold);
    double n_be = isfinite(x->n_break_even) ? x->n_break_even : 0;
    double step = ceil(1.25 * fmax(x->n[2], fmin(n_be, 4 * x->n[2])) / (POINTS - 1));
    const char *other = "Infra+PayShare*Price+IF(Price>0,PayFixed,0)";
    double oc = other_cost(x->s, x->price);
    for (int i = 0; i < POINTS; i++) {
        char f[160];
        int r = 1 + i;
        double n = step * i;
        put_num(b, be, r, 0, n, b->num);
        put_formula(b, be, r, 1, "=Price", b->money, x->price);
        snprintf(f, sizeof f, "=A%d*CPI+%s", r + 1, other);
        put_formula(b, be, r, 2, f, b->money, n * x->cpi + oc);
        snprintf(f, sizeof f, "=A%d*CPIopt+%s", r + 1, other);
        put_formula(b, be, r, 3, f, b->money, n * x->cpi_opt + oc);
    }
    lxw_chart *ch = workbook_add_chart(b->wb, LXW_CHART_SCATTER_STRAIGHT);
    if (!ch) {
        b->errors++;
        return;
    }
    for (int c = 1; c < 4; c++) {
        lxw_chart_series *se = chart_add_series(ch, NULL, NULL);
        if (!se) {
            b->errors++;
            return;
        }
        chart_series_set_categories(se, "Break-even", 1, 0, POINTS, 0);
        chart_series_set_values(se, "Break-even", 1, (lxw_col_t)c, POINTS, (lxw_col_t)c);
        chart_series_set_name(se, hdr[c]);
    }
    chart_title_set_name(ch, "Break-even: revenue and cost of one user-month");
    chart_axis_set_name(ch->x_axis, "interactions a month");
    chart_axis_set_name(ch->y_axis, "$ per user-month");
    if (worksheet_insert_chart(be, 1, 5, ch) != LXW_NO_ERROR)
        b->errors++;
}

/* The cell formats every sheet uses. */
static void book_formats(book *b)
{
    b->bold = workbook_add_format(b->wb);
    format_set_bold(b->bold);
    b->money = workbook_add_format(b->wb);
    format_set_num_format(b->money, "$#,##0.00");
    b->money6 = workbook_add_format(b->wb);
    format_set_num_format(b->money6, "$0.000000");
    b->pct = workbook_add_format(b->wb);
    format_set_num_format(b->pct, "0.0%");
    b->num = workbook_add_format(b->wb);
    format_set_num_format(b->num, "#,##0.0");
}

/* midnight UTC of the scenario's price date (YYYY-MM-DD), else of 2000-01-01 */
static time_t xlsx_created(const scenario *s)
{
    int y = 2000, m = 1, d = 1;
    if (s && sscanf(s->prices.date, "%4d-%2d-%2d", &y, &m, &d) != 3)
        y = 2000, m = 1, d = 1;
    /* days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar */
    int a = (14 - m) / 12, yy = y + 4800 - a, mm = m + 12 * a - 3;
    long jdn = d + (153 * mm + 2) / 5 + 365L * yy + yy / 4 - yy / 100 + yy / 400 - 32045;
    return (time_t)((jdn - 2440588) * 86400);
}

int exercise_write_xlsx(const char *path, const exercise_result *x, ts_error *err)
{
    char tmp[4200];
    snprintf(tmp, sizeof tmp, "%s.tmp.%ld", path, (long)getpid());
    book b = { 0 };
    b.wb = workbook_new(tmp);
    if (!b.wb)
        return ts_error_set(err, TS_ERR_RUNTIME, path, 0, 0, "cannot write the spreadsheet");
    /* the same scenario gives the same bytes: the creation time libxlsxwriter
     * would take from the clock is the price table's date (or 2000-01-01) */
    lxw_doc_properties props = { .title = "tokensim exercise", .created = xlsx_created(x->s) };
    workbook_set_properties(b.wb, &props);
    book_formats(&b);
    sheet_inputs(&b, x);
    sheet_calls(&b, x);
    sheet_users(&b, x);
    sheet_optimisations(&b, x);
    sheet_pricing(&b, x);
    sheet_break_even(&b, x);
    lxw_error rc = workbook_close(b.wb);
    if (rc != LXW_NO_ERROR || b.errors) {
        unlink(tmp);
        return ts_error_set(err, TS_ERR_RUNTIME, path, 0, 0, "cannot write the spreadsheet: %s",
                            rc != LXW_NO_ERROR ? lxw_strerror(rc) : "a cell was refused");
    }
    if (rename(tmp, path) != 0) {
        unlink(tmp);
        return ts_error_set(err, TS_ERR_RUNTIME, path, 0, 0, "cannot write the spreadsheet");
    }
    return TS_OK;
}
