/* fit_data.c: the computation behind `tokensim fit` (fit_data.h): the
 * reading, the sample, the fits and the summaries, in that order. */
#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fit_data.h"
#include "sim/scenario/catalog.h"
#include "sim/scenario/ytree.h"

const double fit_top_fractions[FIT_NTOP] = { 0.01, 0.05, 0.10, 0.20 };
const double fit_token_probs[3] = { 0.50, 0.90, 0.99 };

#define DEFAULT_CATALOG "2026-03"

/* ---- catalog prices ----------------------------------------------------- */

typedef struct prices {
    ytnode *root;
    const ytnode *models;
} prices;

static double num_of(const ytnode *m, const char *key)
{
    const ytnode *v = ytree_get(m, key);
    return v && v->value ? strtod(v->value, NULL) : NAN;
}

/* A logged model name against the catalog's: the same name, the name
 * after a provider prefix ("anthropic/claude-sonnet"), or the longest
 * catalog name the logged one starts with ("gpt-4o-mini-2024-07-18"). */
static bool price_of(void *ctx, const char *model, double per_mtok[3])
{
    const prices *p = ctx;
    if (!p->models)
        return false;
    const char *slash = strrchr(model, '/');
    const char *bare = slash ? slash + 1 : model;
    const ytnode *best = NULL;
    size_t best_len = 0;
    for (size_t i = 0; i < p->models->n; i++) {
        const ytnode *m = p->models->items[i];
        const ytnode *name = ytree_get(m, "name");
        if (!name || !name->value)
            continue;
        size_t l = strlen(name->value);
        bool exact = !strcmp(name->value, model) || !strcmp(name->value, bare);
        bool prefix = !strncmp(name->value, bare, l) && (bare[l] == '-' || bare[l] == '@' || bare[l] == ':');
        if (exact) {
            best = m;
            break;
        }
        if (prefix && l > best_len) {
            best = m;
            best_len = l;
        }
    }
    if (!best)
        return false;
    per_mtok[0] = num_of(best, "input_per_mtok");
    per_mtok[1] = num_of(best, "output_per_mtok");
    per_mtok[2] = num_of(best, "cached_input_per_mtok");
    if (isnan(per_mtok[2]))
        per_mtok[2] = per_mtok[0];
    return isfinite(per_mtok[0]) && isfinite(per_mtok[1]);
}

static int prices_load(prices *p, const char *name, ts_error *err)
{
    memset(p, 0, sizeof *p);
    const char *text = catalog_text(name);
    if (!text)
        return ts_error_set(err, TS_ERR_INPUT, "--catalog", 0, 0, "unknown catalog '%s': see 'tokensim catalog "
                            "list'", name);
    p->root = ytree_load_string(text, strlen(text), name, err);
    if (!p->root)
        return err->code;
    p->models = ytree_get(p->root, "models");
    return TS_OK;
}

/* ---- summaries ---------------------------------------------------------- */

double fit_quantile_lower(const double *sorted, size_t n, double p)
{
    if (!n)
        return NAN;
    return sorted[(size_t)floor((double)(n - 1) * p)];
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static int cmp_desc(const void *a, const void *b)
{
    return cmp_double(b, a);
}

/* mu and sigma of ln x over the positive x, from the sums kept while
 * reading: mu = (1/n) sum ln x, sigma^2 = (1/n) sum (ln x - mu)^2 (the
 * maximum-likelihood estimates) */
static void token_law(fit_tokens *t, double n, double sl, double sll, double *sample, size_t ns, double total)
{
    memset(t, 0, sizeof *t);
    t->n = n;
    t->mean = n > 0 ? total / n : NAN;
    t->mu = n > 0 ? sl / n : NAN;
    double v = n > 0 ? sll / n - t->mu * t->mu : NAN;
    t->sigma = v > 0 ? sqrt(v) : 0;
    qsort(sample, ns, sizeof *sample, cmp_double);
    for (int k = 0; k < 3; k++) {
        t->q[k] = fit_quantile_lower(sample, ns, fit_token_probs[k]);
        t->lq[k] = exp(t->mu + t->sigma * gsl_cdf_ugaussian_Pinv(fit_token_probs[k]));
    }
}

static double pearson(const double *x, const double *y, size_t n, bool logs)
{
    double sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0, m = 0;
    for (size_t i = 0; i < n; i++) {
        double a = x[i], b = y[i];
        if (logs) {
            if (!(a > 0 && b > 0))
                continue;
            a = log(a), b = log(b);
        }
        m++;
        sx += a, sy += b, sxx += a * a, syy += b * b, sxy += a * b;
    }
    double cov = sxy / m - sx / m * sy / m, vx = sxx / m - sx / m * sx / m, vy = syy / m - sy / m * sy / m;
    return m > 1 && vx > 0 && vy > 0 ? cov / sqrt(vx * vy) : NAN;
}

static int tokens_summary(fit_report *r, ts_error *err)
{
    data_usage *u = &r->u;
    if (!u->per_request || u->nsample == 0)
        return TS_OK;
    r->has_tokens = true;
    size_t ns = u->nsample;
    r->corr = pearson(u->sample_in, u->sample_out, ns, false);
    r->corr_log = pearson(u->sample_in, u->sample_out, ns, true);
    double *tmp = malloc(ns * sizeof *tmp);
    if (!tmp)
        return ts_error_set(err, TS_ERR_RUNTIME, NULL, 0, 0, "out of memory");
    memcpy(tmp, u->sample_in, ns * sizeof *tmp);
    token_law(&r->in, u->tok_pos_in, u->sl_in, u->sll_in, tmp, ns, u->s_in);
    memcpy(tmp, u->sample_out, ns * sizeof *tmp);
    token_law(&r->out, u->tok_pos_out, u->sl_out, u->sll_out, tmp, ns, u->s_out);
    free(tmp);
    for (int k = 0; k < DATA_NTHRESHOLDS; k++)
        r->above[k] = u->above[k] / u->tok_n;
    return TS_OK;
}

/* The share of the total held by the top fraction f of v[0..n) (sorted
 * decreasing): the top ceil(f n) entries. */
static double top_share(const double *desc, size_t n, double total, double f)
{
    size_t k = (size_t)ceil(f * (double)n - 1e-9);
    k = k < 1 ? 1 : k > n ? n : k;
    double s = 0;
    for (size_t i = 0; i < k; i++)
        s += desc[i];
    return total > 0 ? s / total : NAN;
}

static int customers_summary(fit_report *r, ts_error *err)
{
    data_usage *u = &r->u;
    size_t nc = u->ncustomers;
    if (!nc)
        return TS_OK;
    r->has_customers = true;
    double *a = malloc(nc * sizeof *a), *b = malloc(nc * sizeof *b);
    r->x = malloc(nc * sizeof *r->x);
    if (!a || !b || !r->x) {
        free(a);
        free(b);
        return ts_error_set(err, TS_ERR_RUNTIME, NULL, 0, 0, "out of memory");
    }
    for (size_t i = 0; i < nc; i++) {
        const data_customer *c = &u->customers[i];
        a[i] = c->interactions;
        b[i] = c->catalog_cost;
        r->total_interactions += c->interactions;
        r->total_catalog_cost += c->catalog_cost;
        r->total_cost += c->cost;
        double intensity = c->interactions / data_customer_months(c);
        if (intensity > 0)
            r->x[r->n++] = intensity;
        else
            r->customers_without_usage++;
    }
    qsort(a, nc, sizeof *a, cmp_desc);
    qsort(b, nc, sizeof *b, cmp_desc);
    r->has_catalog_cost = r->total_catalog_cost > 0;
    for (int k = 0; k < FIT_NTOP; k++) {
        r->top_usage[k] = top_share(a, nc, r->total_interactions, fit_top_fractions[k]);
        r->top_cost[k] = top_share(b, nc, r->total_catalog_cost, fit_top_fractions[k]);
    }
    free(a);
    free(b);
    return TS_OK;
}

/* ---- the fit ------------------------------------------------------------ */

static int fit_sample(const fit_opts *o, fit_report *r, ts_error *err)
{
    if (r->n < FIT_MIN_TAIL)
        return TS_OK;
    qsort(r->x, r->n, sizeof *r->x, cmp_double);
    bool integers = true;
    for (size_t i = 0; i < r->n && integers; i++)
        integers = r->x[i] == floor(r->x[i]);
    bool discrete = o->discrete < 0 ? integers : o->discrete == 1;
    if (discrete && !integers)
        return ts_error_set(err, TS_ERR_INPUT, "--discrete", 0, 0, "the discrete law needs whole numbers: the "
                            "sample has fractions (customers' monthly means); use --continuous");
    ts_error e;
    ts_error_clear(&e);
    if (fit_powerlaw_scan(r->x, r->n, discrete, &r->pl, &r->scan, &e))
        return e.code == TS_ERR_INPUT ? TS_OK : (*err = e, e.code);
    r->has_fit = true;
    fit_alternatives(r->x + (r->n - r->pl.ntail), r->pl.ntail, &r->pl, r->alt);
    return fit_bootstrap(r->x, r->n, &r->pl, o->nboot, o->seed, o->threads, o->stop, err);
}

int fit_run(const fit_opts *o, fit_report *r, ts_error *err)
{
    memset(r, 0, sizeof *r);
    r->pl.p = NAN;
    r->catalog = o->catalog ? o->catalog : DEFAULT_CATALOG;
    prices p;
    if (prices_load(&p, r->catalog, err))
        return err->code;
    const ytnode *first = p.models && p.models->n ? ytree_get(p.models->items[0], "name") : NULL;
    snprintf(r->first_model, sizeof r->first_model, "%s", first && first->value ? first->value : "");
    int rc;
    if (!data_usage_init(&r->u, price_of, &p)) {
        rc = ts_error_set(err, TS_ERR_RUNTIME, NULL, 0, 0, "out of memory");
    } else if (o->db) {
        rc = data_read_db(o->db, o->table, o->query, &o->data, data_usage_add, &r->u, &r->info, err);
    } else {
        rc = data_read_file(o->path, &o->data, data_usage_add, &r->u, &r->info, err);
    }
    r->u.price = NULL;           /* the catalog goes now; the prices stay in the models */
    ytree_free(p.root);
    if (rc)
        return rc;
    if ((rc = tokens_summary(r, err)) || (rc = customers_summary(r, err)))
        return rc;
    if (!r->has_customers && r->u.nvalues) {
        r->x = malloc(r->u.nvalues * sizeof *r->x);
        if (!r->x)
            return ts_error_set(err, TS_ERR_RUNTIME, NULL, 0, 0, "out of memory");
        memcpy(r->x, r->u.values, r->u.nvalues * sizeof *r->x);
        r->n = r->u.nvalues;
    }
    return fit_sample(o, r, err);
}

void fit_report_free(fit_report *r)
{
    data_usage_free(&r->u);
    fit_scan_free(&r->scan);
    free(r->x);
    r->x = NULL;
}
