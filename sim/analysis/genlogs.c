/* genlogs.c: one replication's requests as a LiteLLM spend-log export.
 *
 * The engine is run with an observer (engine_run_observed) that sees every
 * accrual: a customer's slot, the interval and its feature uses per route.
 * Each use becomes a row; times within the interval are uniform (the engine
 * draws a Poisson count for the interval, and given the count a Poisson
 * process's arrival times are uniform), drawn from a stream of their own so
 * the engine's draws and results stay those of `run --replication K`. The
 * log is O(requests) in time and memory: fine for a generator of test data. */
#include "genlogs.h"

#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sim/engine/engine.h"
#include "sim/engine/rng.h"
#include "sim/output/csv.h"

typedef struct req {
    double t;
    int f, r;
} req;

typedef struct route_row {
    long long in, out;
    double spend;
} route_row;

typedef struct gen {
    const scenario *s;
    const genlogs_opts *o;
    gsl_rng *rng;
    csv_writer w;
    route_row rows[COST_MAX_FEATURES][COST_MAX_ROUTES];
    /* per slot: the signup time of its customer and that customer's number */
    double *slot_signup;
    size_t *slot_id, nslots, ncustomers;
    req *buf;
    size_t cap, nrows;
    double spend;
    bool oom;
} gen;

static int cmp_req(const void *a, const void *b)
{
    double x = ((const req *)a)->t, y = ((const req *)b)->t;
    return (x > y) - (x < y);
}

/* days since 1970-01-01 of a civil date (Hinnant's days_from_civil) */
static long long days_from_civil(long long y, unsigned m, unsigned d)
{
    y -= m <= 2;
    long long era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? (unsigned)-3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (long long)doe - 719468;
}

/* "YYYY-MM-DDTHH:MM:SSZ" of time t (months since the start): month floor(t)
 * of the calendar from the start month, its fraction spread over its days */
static void stamp(const gen *g, double t, double month_of_interval, char *buf, size_t n)
{
    long long m = (long long)month_of_interval;
    long long mi = (long long)g->o->start_month - 1 + m;
    long long y = g->o->start_year + mi / 12;
    unsigned mo = (unsigned)(mi % 12) + 1;
    long long d0 = days_from_civil(y, mo, 1);
    long long d1 = mo == 12 ? days_from_civil(y + 1, 1, 1) : days_from_civil(y, mo + 1, 1);
    double frac = fmin(fmax(t - (double)m, 0), 1);
    long long sec = (long long)floor(frac * (double)(d1 - d0) * 86400.0);
    if (sec >= (d1 - d0) * 86400)
        sec = (d1 - d0) * 86400 - 1;
    time_t when = (time_t)(d0 * 86400 + sec);
    struct tm tm;
    gmtime_r(&when, &tm);
    strftime(buf, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static size_t customer_of(gen *g, size_t slot, double signup)
{
    if (slot >= g->nslots) {
        size_t n = slot + 1 > 2 * g->nslots ? slot + 1 : 2 * g->nslots;
        double *ss = realloc(g->slot_signup, n * sizeof *ss);
        if (ss)
            g->slot_signup = ss;
        size_t *si = ss ? realloc(g->slot_id, n * sizeof *si) : NULL;
        if (!si) {
            g->oom = true;
            return 0;
        }
        g->slot_id = si;
        for (size_t i = g->nslots; i < n; i++)
            g->slot_signup[i] = -1;
        g->nslots = n;
    }
    if (g->slot_signup[slot] != signup) {
        g->slot_signup[slot] = signup;
        g->slot_id[slot] = ++g->ncustomers;
    }
    return g->slot_id[slot];
}

static void accrued(void *ctx, const engine_accrual *a)
{
    gen *g = ctx;
    const scenario *s = g->s;
    if (g->oom)
        return;
    size_t id = customer_of(g, a->slot, a->signup), n = 0;
    if (g->oom)
        return;
    for (int f = 0; f < s->nfeatures; f++)
        for (int r = 0; r < feature_route_count(&s->features[f]); r++) {
            /* fixed counts may be fractional: whole requests, rounded */
            long long k = llround(a->count[f][r]);
            for (long long i = 0; i < k; i++) {
                if (n == g->cap) {
                    size_t c = g->cap ? 2 * g->cap : 1024;
                    req *nb = realloc(g->buf, c * sizeof *nb);
                    if (!nb) {
                        g->oom = true;
                        return;
                    }
                    g->buf = nb;
                    g->cap = c;
                }
                g->buf[n++] = (req){ a->t0 + (a->t1 - a->t0) * gsl_rng_uniform(g->rng), f, r };
            }
        }
    qsort(g->buf, n, sizeof *g->buf, cmp_req);
    double month = floor(a->t0 + 1e-9);
    for (size_t i = 0; i < n; i++) {
        const req *q = &g->buf[i];
        const feature *ft = &s->features[q->f];
        const route_row *rr = &g->rows[q->f][q->r];
        char when[32];
        stamp(g, q->t, month, when, sizeof when);
        csv_textf(&g->w, "r%zu", ++g->nrows);
        csv_text(&g->w, ft->name);
        csv_text(&g->w, "tokensim");
        csv_number(&g->w, rr->spend);
        csv_int(&g->w, rr->in + rr->out);
        csv_int(&g->w, rr->in);
        csv_int(&g->w, rr->out);
        csv_text(&g->w, when);
        csv_text(&g->w, when);
        csv_text(&g->w, s->prices.models[feature_route_model(ft, q->r)].name);
        csv_textf(&g->w, "customer-%zu", id);
        csv_empty(&g->w, 1);
        csv_row_end(&g->w);
        g->spend += rr->spend;
    }
}

static void route_rows(gen *g)
{
    const scenario *s = g->s;
    for (int f = 0; f < s->nfeatures; f++)
        for (int r = 0; r < feature_route_count(&s->features[f]); r++) {
            const feature *ft = &s->features[f];
            interaction_cost c = cost_interaction(ft, r, &s->prices);
            double out = cost_agent_calls(ft) * ft->tokens.output;
            g->rows[f][r] = (route_row){ llround(c.tokens - out), llround(out), c.input + c.output };
        }
}

int genlogs_make(const scenario *s, const genlogs_opts *o, char **text, size_t *len, genlogs_summary *sum,
                 ts_error *err)
{
    *text = NULL;
    memset(sum, 0, sizeof *sum);
    gen g = { .s = s, .o = o };
    g.rng = ts_rng_create(ts_rng_seed_mix(s->seed, (uint64_t)o->replication), 0x6c6f6773u);
    if (!g.rng || !csv_begin(&g.w)) {
        if (g.rng)
            gsl_rng_free(g.rng);
        return ts_error_set(err, TS_ERR_RUNTIME, NULL, 0, 0, "out of memory for the log");
    }
    route_rows(&g);
    csv_text(&g.w, "request_id");
    static const char *const cols[] = { "call_type", "api_key", "spend", "total_tokens", "prompt_tokens",
                                        "completion_tokens", "startTime", "endTime", "model", "user", "end_user" };
    for (size_t i = 0; i < sizeof cols / sizeof cols[0]; i++)
        csv_text(&g.w, cols[i]);
    csv_row_end(&g.w);
    engine_opts eo = { 1, o->replication, 1, NULL, NULL, NULL };
    engine_observer obs = { accrued, &g };
    run_result rr;
    int rc = engine_run_observed(s, &eo, &obs, &rr, err);
    if (rc == TS_OK) {
        for (int m = 0; m < rr.nmonths; m++)
            sum->interactions += run_month(&rr, 0, 0, m)[MET_INTERACTIONS];
        run_result_free(&rr);
    }
    char *t = csv_finish(&g.w, len);
    if (rc == TS_OK && (g.oom || !t))
        rc = ts_error_set(err, TS_ERR_RUNTIME, NULL, 0, 0, "out of memory for the log (%zu requests so far)",
                          g.nrows);
    if (rc == TS_OK) {
        *text = t;
        sum->rows = g.nrows;
        sum->customers = g.ncustomers;
        sum->spend = g.spend;
    } else
        free(t);
    free(g.buf);
    free(g.slot_signup);
    free(g.slot_id);
    gsl_rng_free(g.rng);
    return rc;
}
