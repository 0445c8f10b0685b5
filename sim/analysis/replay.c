/* replay.c: the backtest of `tokensim replay` (replay.h).
 *
 * Rows are read into memory (customer, time, model, tokens, logged spend),
 * sorted by customer and time, and walked once per customer and calendar
 * month. Under each plan a row of n requests (1 in a request log) is served
 * as the engine serves an interval: the part before the soft limit at the
 * logged model, the part past it (times soft_keep) on the soft model, the
 * part past a hard cap refused; so limits bite at the request where the
 * customer crosses them. A customer is billed in each month it made a
 * request (a log shows no sign-up or churn), at the plan's price for its
 * usage through the plan descriptor (plan_bill), seats 1, the whole month.
 * Other costs: infra per customer-month, payment share and fee per paid
 * bill, as the engine's month close charges them. */
#include "replay_internal.h"

#include <gsl/gsl_rng.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sim/engine/rng.h"
#include "sim/output/csv.h"
#include "sim/output/json.h"

typedef struct reader {
    const scenario *s;
    const replay_opts *o;
    replay_report *r;
    row *rows;
    size_t nrows, cap;
    /* customers: names and an open-addressing hash of their indices */
    char **names;
    size_t ncust, namecap;
    uint32_t *hash;              /* index + 1, 0: empty */
    size_t hcap;
    int first_month;             /* the log's first calendar month: month 1 of the levers */
} reader;

static uint64_t hash_of(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211u;
    return h;
}

static int grow_hash(reader *d)
{
    size_t cap = d->hcap ? 2 * d->hcap : 1024;
    uint32_t *h = calloc(cap, sizeof *h);
    if (!h)
        return -1;
    for (size_t i = 0; i < d->ncust; i++) {
        size_t k = (size_t)hash_of(d->names[i], strlen(d->names[i])) & (cap - 1);
        while (h[k])
            k = (k + 1) & (cap - 1);
        h[k] = (uint32_t)i + 1;
    }
    free(d->hash);
    d->hash = h;
    d->hcap = cap;
    return 0;
}

/* the index of customer s[0..n), added when new; -1 when out of memory */
static long customer_index(reader *d, const char *s, size_t n)
{
    if (2 * (d->ncust + 1) > d->hcap && grow_hash(d))
        return -1;
    size_t k = (size_t)hash_of(s, n) & (d->hcap - 1);
    for (; d->hash[k]; k = (k + 1) & (d->hcap - 1)) {
        const char *name = d->names[d->hash[k] - 1];
        if (strlen(name) == n && !memcmp(name, s, n))
            return (long)d->hash[k] - 1;
    }
    if (d->ncust == d->namecap) {
        size_t cap = d->namecap ? 2 * d->namecap : 1024;
        char **nn = realloc(d->names, cap * sizeof *nn);
        if (!nn)
            return -1;
        d->names = nn;
        d->namecap = cap;
    }
    char *copy = malloc(n + 1);
    if (!copy)
        return -1;
    memcpy(copy, s, n);
    copy[n] = '\0';
    d->names[d->ncust] = copy;
    d->hash[k] = (uint32_t)++d->ncust;
    return (long)d->ncust - 1;
}

static int model_of(const scenario *s, const char *m, size_t n)
{
    for (int i = 0; m && i < s->prices.nmodels; i++)
        if (strlen(s->prices.models[i].name) == n && !strncmp(s->prices.models[i].name, m, n))
            return i;
    return -1;
}

static int on_record(void *ctx, const data_record *rec, ts_error *err)
{
    reader *d = ctx;
    if (!rec->customer)
        return ts_error_set(err, TS_ERR_INPUT, NULL, 0, 0, "found no customer column, expected one to replay");
    if (rec->month < 0)
        return ts_error_set(err, TS_ERR_INPUT, NULL, 0, 0, "found no time or month column, expected one to replay");
    long c = customer_index(d, rec->customer, rec->customer_len);
    if (c < 0 || (d->nrows == d->cap && d->cap > SIZE_MAX / 2 / sizeof *d->rows))
        return ts_error_set(err, TS_ERR_RUNTIME, NULL, 0, 0, "out of memory reading the log");
    if (d->nrows == d->cap) {
        size_t cap = d->cap ? 2 * d->cap : 4096;
        row *nr = realloc(d->rows, cap * sizeof *nr);
        if (!nr)
            return ts_error_set(err, TS_ERR_RUNTIME, NULL, 0, 0, "out of memory reading the log");
        d->rows = nr;
        d->cap = cap;
    }
    double n = rec->requests > 0 ? rec->requests : 1;
    d->rows[d->nrows++] = (row){ (uint32_t)c, rec->month, model_of(d->s, rec->model, rec->model_len),
                                 replay_feature_of(d->s, rec->feature, rec->feature_len),
                                 isnan(rec->time) ? 0 : rec->time, n, rec->input, rec->output, rec->cached,
                                 rec->cost };
    if (rec->month < d->first_month)
        d->first_month = rec->month;
    if (rec->input + rec->output <= 0)
        d->r->zero_token++;
    return TS_OK;
}

static int cmp_row(const void *a, const void *b)
{
    const row *x = a, *y = b;
    if (x->cust != y->cust)
        return x->cust < y->cust ? -1 : 1;
    if (x->month != y->month)
        return x->month < y->month ? -1 : 1;
    return (x->time > y->time) - (x->time < y->time);
}

/* $ of a row's tokens at model m's prices (cached input at the cached rate
 * when the model offers one) */
static double price_at(const scenario *s, int m, const row *w)
{
    const model_price *mp = &s->prices.models[m];
    model_rates mr = cost_model_rates(mp, w->n > 0 ? w->in / w->n : w->in);
    double cached = mr.cached >= 0 ? fmin(w->cached, w->in) : 0;
    return ((w->in - cached) * mr.input + cached * mr.cached + w->out * mr.output) / 1e6;
}

/* what a plan's month has served so far */
typedef struct pstate {
    double served, refused, downgraded, tokens, cost, cost_levers;
} pstate;

/* a row's cost and its cost under the levers (lm: the levers' month) */
typedef struct rcost {
    double plain, levers;
    int lm;
} rcost;

static void serve(const scenario *s, const plan *pl, const row *w, rcost rc, pstate *q)
{
    double quota = pl->quota > 0 ? pl->quota : INFINITY;
    double soft_at = pl->soft_at > 0 && pl->quota > 0 ? pl->soft_at * pl->quota : INFINITY;
    double cap = pl->hard_cap && pl->quota > 0 ? quota : INFINITY;
    double n = w->n, room = fmax(0, cap - q->served);
    double normal = fmin(fmin(n, fmax(0, soft_at - q->served)), room);
    double after = fmin((n - normal) * pl->soft_keep, room - normal);
    bool soft = pl->soft_model_index >= 0 && after > 0;
    double soft_cost = soft ? price_at(s, pl->soft_model_index, w) : rc.plain, soft_levers = rc.levers;
    if (soft && s->nlevers > 0) {
        double v[LEVER_MAX + 1];
        replay_row_costs(s, w, pl->soft_model_index, rc.lm, v);
        soft_levers = v[s->nlevers];
    }
    q->cost += (normal * rc.plain + after * soft_cost) / n;
    q->cost_levers += (normal * rc.levers + after * soft_levers) / n;
    q->tokens += (normal + after) / n * (w->in + w->out);
    q->served += normal + after;
    q->refused += n - normal - after;
    if (soft)
        q->downgraded += after;
}

/* per customer and plan: revenue and cost over the log, for the bootstrap */
typedef struct totals {
    double *rev, *cost;          /* [customer][plan] */
    double *requests, *months;   /* [customer]: requests and active months over the log */
} totals;

static void bill_month(const scenario *s, int p, const pstate *q, int month, const gsl_rng *g, replay_plan *out,
                       double *rev, double *cost)
{
    const plan *pl = &s->plans[p];
    plan_usage u = { .interactions = q->served, .tokens = q->tokens, .inference_cost = q->cost,
                     .active_fraction = 1, .seats = 1, .month = month };
    double b = plan_bill(pl, &u, g);
    const other_costs *oc = &s->costs;
    double pay = oc->payment_share * b + (b > 0 ? oc->payment_fixed : 0);
    double other = oc->infra_per_customer + pay;
    out->revenue += b;
    out->model_cost += q->cost;
    out->model_cost_levers += q->cost_levers;
    out->other_cost += other;
    out->served += q->served;
    out->refused += q->refused;
    out->downgraded += q->downgraded;
    out->losing += b - q->cost - other < 0;
    *rev += b;
    *cost += q->cost + other;
}

/* A row's cost before and after the levers; adds it to the waterfall and
 * the reconciliation of logged spend. */
static rcost row_cost(const scenario *s, const replay_opts *o, const reader *d, const row *w)
{
    replay_report *r = d->r;
    bool logged = !isnan(w->cost);
    rcost c = { 0, 0, w->month - d->first_month + 1 };
    if (w->model >= 0) {
        double p = price_at(s, w->model, w);
        if (logged) {
            r->recon[w->model].rows++;
            r->recon[w->model].logged += w->cost;
            r->recon[w->model].recomputed += p;
            r->recon_rows++;
        }
        c.plain = o->logged_cost && logged ? w->cost : p;
    } else {
        c.plain = logged ? w->cost : 0;
    }
    c.levers = c.plain;
    r->lever_base += c.plain;
    if (s->nlevers > 0) {
        double v[LEVER_MAX + 1];
        if (w->model >= 0)
            replay_row_costs(s, w, w->model, c.lm, v);
        /* the levers scale a logged spend as they scale the recomputed one */
        double scale = w->model >= 0 && v[0] > 0 ? c.plain / v[0] : 1;
        for (int k = 0; k < s->nlevers; k++)
            r->lever_after[k] += w->model >= 0 ? v[k + 1] * scale : c.plain;
        if (w->model >= 0)
            c.levers = v[s->nlevers] * scale;
    }
    return c;
}

/* Walks the sorted rows: one customer-month at a time, every plan. */
static void walk(const scenario *s, const replay_opts *o, reader *d, totals *t, gsl_rng *g)
{
    replay_report *r = d->r;
    for (size_t i = 0; i < d->nrows;) {
        size_t j = i;
        while (j < d->nrows && d->rows[j].cust == d->rows[i].cust && d->rows[j].month == d->rows[i].month)
            j++;
        pstate q[PLAN_MAX];
        memset(q, 0, sizeof q);
        size_t cu = d->rows[i].cust;
        for (size_t k = i; k < j; k++) {
            const row *w = &d->rows[k];
            rcost c = row_cost(s, o, d, w);
            if (w->model < 0 && isnan(w->cost))
                r->unpriced++;
            r->requests += w->n;
            t->requests[cu] += w->n;
            for (int p = 0; p < s->nplans; p++)
                serve(s, &s->plans[p], w, c, &q[p]);
        }
        t->months[cu]++;
        for (int p = 0; p < s->nplans; p++)
            bill_month(s, p, &q[p], d->rows[i].month, g, &r->plan[p], &t->rev[cu * PLAN_MAX + (size_t)p],
                       &t->cost[cu * PLAN_MAX + (size_t)p]);
        r->customer_months++;
        i = j;
    }
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* P5 and P95 of revenue and margin over customer resamples */
static int bootstrap(const replay_opts *o, replay_report *r, const totals *t, size_t nc, gsl_rng *g)
{
    int B = o->bootstrap, np = r->nplans;
    double *rv = malloc((size_t)B * (size_t)np * sizeof *rv), *mg = malloc((size_t)B * (size_t)np * sizeof *mg);
    if (!rv || !mg) {
        free(rv);
        free(mg);
        return -1;
    }
    for (int b = 0; b < B; b++) {
        double rev[PLAN_MAX] = { 0 }, cost[PLAN_MAX] = { 0 };
        for (size_t k = 0; k < nc; k++) {
            size_t c = (size_t)gsl_rng_uniform_int(g, nc);
            for (int p = 0; p < np; p++) {
                rev[p] += t->rev[c * PLAN_MAX + (size_t)p];
                cost[p] += t->cost[c * PLAN_MAX + (size_t)p];
            }
        }
        for (int p = 0; p < np; p++) {
            rv[p * B + b] = rev[p];
            mg[p * B + b] = rev[p] > 0 ? 100 * (rev[p] - cost[p]) / rev[p] : NAN;
        }
    }
    for (int p = 0; p < np; p++) {
        qsort(rv + p * B, (size_t)B, sizeof *rv, cmp_double);
        qsort(mg + p * B, (size_t)B, sizeof *mg, cmp_double);
        size_t lo = (size_t)floor(0.05 * (B - 1)), hi = (size_t)ceil(0.95 * (B - 1));
        r->plan[p].revenue_lo = rv[(size_t)(p * B) + lo];
        r->plan[p].revenue_hi = rv[(size_t)(p * B) + hi];
        r->plan[p].margin_lo = mg[(size_t)(p * B) + lo];
        r->plan[p].margin_hi = mg[(size_t)(p * B) + hi];
    }
    free(rv);
    free(mg);
    return 0;
}

/* keeps the REPLAY_TOP largest |change| of one sign, largest first */
static void keep_top(replay_change *v, int *n, const char *name, double change)
{
    int k = *n < REPLAY_TOP ? (*n)++ : REPLAY_TOP - 1;
    if (k == REPLAY_TOP - 1 && *n == REPLAY_TOP && fabs(change) <= fabs(v[k].change))
        return;
    while (k > 0 && fabs(v[k - 1].change) < fabs(change)) {
        v[k] = v[k - 1];
        k--;
    }
    snprintf(v[k].customer, sizeof v[k].customer, "%s", name);
    v[k].change = change;
}

static void bill_changes(replay_report *r, const totals *t, char *const *names, size_t nc)
{
    for (int p = 0; p < r->nplans; p++) {
        replay_plan *rp = &r->plan[p];
        double sum = 0;
        size_t up = 0, down = 0;
        for (size_t c = 0; c < nc; c++) {
            double ch = t->rev[c * PLAN_MAX + (size_t)p] - t->rev[c * PLAN_MAX];
            sum += ch;
            if (ch > 1e-9) {
                up++;
                keep_top(rp->rise, &rp->nrise, names[c], ch);
            } else if (ch < -1e-9) {
                down++;
                keep_top(rp->fall, &rp->nfall, names[c], ch);
            }
        }
        rp->bill_change = nc ? sum / (double)nc : 0;
        rp->rises = nc ? 100.0 * (double)up / (double)nc : 0;
        rp->falls = nc ? 100.0 * (double)down / (double)nc : 0;
    }
}

static int check_plans(const scenario *s, ts_error *err)
{
    for (int p = 0; p < s->nplans; p++)
        if (plan_keeps(&s->plans[p]) || s->plans[p].free_tier)
            return ts_error_set(err, TS_ERR_INPUT, NULL, 0, 0, "cannot replay plan '%s': found a plan that keeps "
                                "%s across months, expected plans billed from each month's usage alone",
                                s->plans[p].name, s->plans[p].free_tier ? "a free tier" : "credits or tiers");
    return TS_OK;
}

int replay_run(const scenario *s, const replay_opts *o, replay_report *r, ts_error *err)
{
    memset(r, 0, sizeof *r);
    r->nplans = s->nplans;
    int rc = check_plans(s, err);
    if (rc)
        return rc;
    r->nlevers = s->nlevers;
    reader d = { .s = s, .o = o, .r = r, .first_month = INT_MAX };
    rc = o->db ? data_read_db(o->db, o->table, o->query, &o->data, on_record, &d, &r->info, err)
               : data_read_file(o->path, &o->data, on_record, &d, &r->info, err);
    totals t = { NULL, NULL, NULL, NULL };
    gsl_rng *g = NULL;
    if (rc == TS_OK) {
        qsort(d.rows, d.nrows, sizeof *d.rows, cmp_row);
        t.rev = calloc(d.ncust * PLAN_MAX + 1, sizeof *t.rev);
        t.cost = calloc(d.ncust * PLAN_MAX + 1, sizeof *t.cost);
        t.requests = calloc(d.ncust + 1, sizeof *t.requests);
        t.months = calloc(d.ncust + 1, sizeof *t.months);
        g = ts_rng_create(o->seed, 0x7265706c);
        if (!t.rev || !t.cost || !t.requests || !t.months || !g)
            rc = ts_error_set(err, TS_ERR_RUNTIME, NULL, 0, 0, "out of memory for the replay");
    }
    if (rc == TS_OK) {
        walk(s, o, &d, &t, g);
        r->rows_used = (long)d.nrows;
        r->customers = d.ncust;
        for (int p = 0; p < s->nplans; p++) {
            replay_plan *rp = &r->plan[p];
            rp->profit = rp->revenue - rp->model_cost - rp->other_cost;
            rp->margin = rp->revenue > 0 ? 100 * rp->profit / rp->revenue : NAN;
            rp->profit_levers = rp->revenue - rp->model_cost_levers - rp->other_cost;
            rp->margin_levers = rp->revenue > 0 ? 100 * rp->profit_levers / rp->revenue : NAN;
            rp->losing = r->customer_months ? 100 * rp->losing / (double)r->customer_months : 0;
            rp->revenue_lo = rp->revenue_hi = rp->margin_lo = rp->margin_hi = NAN;
        }
        bill_changes(r, &t, d.names, d.ncust);
        if (replay_segments(r, t.rev, t.cost, t.requests, t.months, d.ncust))
            rc = ts_error_set(err, TS_ERR_RUNTIME, NULL, 0, 0, "out of memory for the segments");
        r->bootstrap = o->bootstrap > 1 && d.ncust > 0 ? o->bootstrap : 0;
        if (rc == TS_OK && r->bootstrap && bootstrap(o, r, &t, d.ncust, g))
            rc = ts_error_set(err, TS_ERR_RUNTIME, NULL, 0, 0, "out of memory for the bootstrap");
    }
    for (size_t i = 0; i < d.ncust; i++)
        free(d.names[i]);
    free(d.names);
    free(d.hash);
    free(d.rows);
    free(t.rev);
    free(t.cost);
    free(t.requests);
    free(t.months);
    if (g)
        gsl_rng_free(g);
    return rc;
}

/* ---- output ---- */

void replay_print(FILE *f, const replay_report *r, const scenario *s, const char *source)
{
    fprintf(f, "tokensim replay: %s (%s, preset %s) under '%s'\n", source, r->info.format, r->info.preset, s->name);
    fprintf(f, "rows: %ld read, %ld used; %.10g requests of %zu customers in %zu customer-months; "
            "%ld zero-token rows (kept), %ld rows with a model not in the scenario's prices and no spend (cost 0)\n\n",
            r->info.rows, r->rows_used, r->requests, r->customers, r->customer_months, r->zero_token, r->unpriced);
    fprintf(f, "%-16s %12s %12s %12s %12s %8s %8s %10s %10s\n", "plan", "revenue", "model cost", "other cost",
            "profit", "margin%", "losing%", "refused", "downgraded");
    for (int p = 0; p < r->nplans; p++) {
        const replay_plan *rp = &r->plan[p];
        fprintf(f, "%-16.16s %12.2f %12.2f %12.2f %12.2f %8.1f %8.1f %10.10g %10.10g\n", s->plans[p].name,
                rp->revenue, rp->model_cost, rp->other_cost, rp->profit, rp->margin, rp->losing, rp->refused,
                rp->downgraded);
    }
    if (r->bootstrap) {
        fprintf(f, "\nintervals: P5 to P95 over %d resamples of the customers\n", r->bootstrap);
        for (int p = 0; p < r->nplans; p++) {
            const replay_plan *rp = &r->plan[p];
            fprintf(f, "  %-16.16s revenue %.2f to %.2f, margin %.1f%% to %.1f%%\n", s->plans[p].name,
                    rp->revenue_lo, rp->revenue_hi, rp->margin_lo, rp->margin_hi);
        }
    }
    for (int p = 1; p < r->nplans; p++) {
        const replay_plan *rp = &r->plan[p];
        fprintf(f, "\nbills under '%s' against '%s': %+.2f per customer over the log; %.1f%% rise, %.1f%% fall\n",
                s->plans[p].name, s->plans[0].name, rp->bill_change, rp->rises, rp->falls);
        for (int k = 0; k < rp->nrise; k++)
            fprintf(f, "  rise  %-24.24s %+12.2f\n", rp->rise[k].customer, rp->rise[k].change);
        for (int k = 0; k < rp->nfall; k++)
            fprintf(f, "  fall  %-24.24s %+12.2f\n", rp->fall[k].customer, rp->fall[k].change);
    }
    replay_print_more(f, r, s);
}

char *replay_csv(const replay_report *r, const scenario *s)
{
    csv_writer w;
    if (!csv_begin(&w))
        return NULL;
    static const char *const cols[] = { "plan", "revenue", "revenue_p5", "revenue_p95", "model_cost", "other_cost",
                                        "gross_profit", "gross_margin_pct", "margin_p5", "margin_p95",
                                        "losing_customer_months_pct", "served", "refused", "downgraded",
                                        "bill_change_per_customer", "bill_rises_pct", "bill_falls_pct",
                                        "model_cost_levers", "gross_profit_levers", "gross_margin_levers_pct" };
    for (size_t i = 0; i < sizeof cols / sizeof cols[0]; i++)
        csv_text(&w, cols[i]);
    csv_row_end(&w);
    for (int p = 0; p < r->nplans; p++) {
        const replay_plan *rp = &r->plan[p];
        csv_name(&w, s->plans[p].name);
        const double v[] = { rp->revenue, rp->revenue_lo, rp->revenue_hi, rp->model_cost, rp->other_cost, rp->profit,
                             rp->margin, rp->margin_lo, rp->margin_hi, rp->losing, rp->served, rp->refused,
                             rp->downgraded, rp->bill_change, rp->rises, rp->falls, rp->model_cost_levers,
                             rp->profit_levers, rp->margin_levers };
        for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
            csv_number(&w, v[i]);
        csv_row_end(&w);
    }
    return csv_finish(&w, NULL);
}

static cJSON *changes_json(const replay_change *v, int n)
{
    cJSON *a = cJSON_CreateArray();
    for (int k = 0; k < n; k++) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "customer", v[k].customer);
        json_number_add(o, "change", v[k].change);
        cJSON_AddItemToArray(a, o);
    }
    return a;
}

char *replay_json(const replay_report *r, const scenario *s, const provenance *pv)
{
    cJSON *root = json_document_create();
    json_provenance_add(root, pv);
    cJSON *rows = cJSON_AddObjectToObject(root, "rows");
    json_number_add(rows, "read", (double)r->info.rows);
    json_number_add(rows, "used", (double)r->rows_used);
    json_number_add(rows, "zero_token", (double)r->zero_token);
    json_number_add(rows, "unpriced", (double)r->unpriced);
    json_number_add(rows, "requests", r->requests);
    json_number_add(rows, "customers", (double)r->customers);
    json_number_add(rows, "customer_months", (double)r->customer_months);
    json_number_add(root, "bootstrap", r->bootstrap);
    cJSON *plans = cJSON_AddArrayToObject(root, "plans");
    for (int p = 0; p < r->nplans; p++) {
        const replay_plan *rp = &r->plan[p];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "plan", s->plans[p].name);
        json_number_add(o, "revenue", rp->revenue);
        json_number_add(o, "revenue_p5", rp->revenue_lo);
        json_number_add(o, "revenue_p95", rp->revenue_hi);
        json_number_add(o, "model_cost", rp->model_cost);
        json_number_add(o, "other_cost", rp->other_cost);
        json_number_add(o, "gross_profit", rp->profit);
        json_number_add(o, "gross_margin_pct", rp->margin);
        json_number_add(o, "margin_p5", rp->margin_lo);
        json_number_add(o, "margin_p95", rp->margin_hi);
        json_number_add(o, "losing_customer_months_pct", rp->losing);
        json_number_add(o, "served", rp->served);
        json_number_add(o, "refused", rp->refused);
        json_number_add(o, "downgraded", rp->downgraded);
        json_number_add(o, "bill_change_per_customer", rp->bill_change);
        json_number_add(o, "bill_rises_pct", rp->rises);
        json_number_add(o, "bill_falls_pct", rp->falls);
        cJSON_AddItemToObject(o, "largest_rises", changes_json(rp->rise, rp->nrise));
        cJSON_AddItemToObject(o, "largest_falls", changes_json(rp->fall, rp->nfall));
        json_number_add(o, "model_cost_levers", rp->model_cost_levers);
        json_number_add(o, "gross_profit_levers", rp->profit_levers);
        json_number_add(o, "gross_margin_levers_pct", rp->margin_levers);
        cJSON_AddItemToArray(plans, o);
    }
    replay_json_more(root, r, s);
    return json_text_take(root);
}
