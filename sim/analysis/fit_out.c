/* fit_out.c: the table, fit.json, the scenario blocks and the plots of
 * `tokensim fit` (fit_out.h). */
#include <cjson/cJSON.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fit_out.h"
#include "sim/output/json.h"

extern const char *const plot_template_fit_ccdf;
extern const char *const plot_template_fit_ks;
extern const char *const plot_template_fit_qq;

static const char *const compression_names[] = { "plain", "gzip", "zstd" };

/* What the test says, at the 10% level CSN use. */
static const char *verdict(const fit_alt *a)
{
    if (!a->ok)
        return "not fitted";
    if (a->kind == ALT_CUTOFF)
        return a->p < 0.1 ? "cutoff preferred" : "power law (cutoff not needed)";
    if (a->p >= 0.1)
        return "inconclusive";
    return a->R > 0 ? "power law" : fit_alt_names[a->kind];
}

static void print_rows(FILE *out, const fit_report *r)
{
    const data_usage *u = &r->u;
    fprintf(out, "rows: %ld read, %ld used", r->info.rows, u->rows - u->nonpositive_values);
    if (u->nonpositive_values)
        fprintf(out, "; %ld values not above 0 left out of the fit", u->nonpositive_values);
    if (u->zero_token)
        fprintf(out, "; %ld requests with no tokens (counted as interactions, left out of the token laws)",
                u->zero_token);
    if (u->unpriced)
        fprintf(out, "; %ld rows with a model not in catalog %s (no catalog cost)", u->unpriced, r->catalog);
    if (u->model_overflow)
        fprintf(out, "; %ld rows beyond the first %d models (not in the mix)", u->model_overflow, DATA_MAX_MODELS);
    if (r->customers_without_usage)
        fprintf(out, "; %ld customers with no interactions left out of the fit", r->customers_without_usage);
    fputs("\n", out);
}

static void print_tokens(FILE *out, const fit_report *r)
{
    fprintf(out, "\ntokens per request (%.0f requests)\n", r->u.tok_n);
    fprintf(out, "  %-7s %10s %9s %9s %9s   %-22s %9s %9s %9s\n", "", "mean", "P50", "P90", "P99",
            "lognormal mu, sigma", "P50", "P90", "P99");
    const fit_tokens *t[2] = { &r->in, &r->out };
    for (int k = 0; k < 2; k++)
        fprintf(out, "  %-7s %10.1f %9.0f %9.0f %9.0f   %9.4f, %-10.4f %9.0f %9.0f %9.0f\n", k ? "output" : "input",
                t[k]->mean, t[k]->q[0], t[k]->q[1], t[k]->q[2], t[k]->mu, t[k]->sigma, t[k]->lq[0], t[k]->lq[1],
                t[k]->lq[2]);
    fprintf(out, "  correlation of input and output tokens: %.3f (of their logarithms: %.3f)\n", r->corr, r->corr_log);
    fprintf(out, "  requests above the long-context thresholds:");
    for (int k = 0; k < DATA_NTHRESHOLDS; k++)
        fprintf(out, " %.0fk input tokens %.2f%%%s", data_thresholds[k] / 1000, 100 * r->above[k],
                k + 1 < DATA_NTHRESHOLDS ? "," : "\n");
}

static void print_fit(FILE *out, const fit_report *r)
{
    const fit_powerlaw *pl = &r->pl;
    fprintf(out, "\n%s (%zu), power law by Clauset-Shalizi-Newman, %s\n",
            r->has_customers ? "customers' mean monthly interactions" : "values", r->n,
            pl->discrete ? "discrete" : "continuous");
    fprintf(out, "  alpha %.4f +- %.4f (density x^-alpha; tokensim's pareto alpha %.4f), xmin %.6g, tail %zu of %zu\n",
            pl->alpha, pl->se, pl->alpha - 1, pl->xmin, pl->ntail, pl->n);
    fprintf(out, "  KS distance %.4f", pl->ks);
    if (pl->nboot)
        fprintf(out, ", goodness of fit p = %.3f (%d bootstrap sets; p < 0.1 rules the power law out)\n", pl->p,
                pl->nboot);
    else
        fprintf(out, " (no p-value: --bootstrap N computes one)\n");
    fprintf(out, "  %-22s %-22s %12s %8s %8s  %s\n", "alternative", "parameters", "LR (pl-alt)", "z", "p", "verdict");
    for (int k = 0; k < ALT_COUNT; k++) {
        const fit_alt *a = &r->alt[k];
        char par[64];
        if (k == ALT_EXPONENTIAL)
            snprintf(par, sizeof par, "lambda %.4g", a->par[0]);
        else
            snprintf(par, sizeof par, "%s %.4g, %s %.4g", k == ALT_LOGNORMAL ? "mu" : k == ALT_CUTOFF ? "alpha" : "lambda",
                     a->par[0], k == ALT_LOGNORMAL ? "sigma" : k == ALT_CUTOFF ? "lambda" : "beta", a->par[1]);
        fprintf(out, "  %-22s %-22s %12.3f %8.3f %8.4f  %s\n", fit_alt_names[k], a->ok ? par : "-", a->R, a->z, a->p,
                verdict(a));
    }
}

static void print_customers(FILE *out, const fit_report *r)
{
    fprintf(out, "\nconcentration (%zu customers)\n  %-10s", r->u.ncustomers, "top");
    for (int k = 0; k < FIT_NTOP; k++)
        fprintf(out, " %7.0f%%", 100 * fit_top_fractions[k]);
    fprintf(out, "\n  %-10s", "usage");
    for (int k = 0; k < FIT_NTOP; k++)
        fprintf(out, " %7.1f%%", 100 * r->top_usage[k]);
    if (r->has_catalog_cost) {
        fprintf(out, "\n  %-10s", "cost");
        for (int k = 0; k < FIT_NTOP; k++)
            fprintf(out, " %7.1f%%", 100 * r->top_cost[k]);
        fprintf(out, "   (at catalog %s prices)", r->catalog);
    }
    fputs("\n", out);
}

static void print_models(FILE *out, const fit_report *r)
{
    const data_usage *u = &r->u;
    double total = 0;
    for (int i = 0; i < u->nmodels; i++)
        total += u->models[i].requests;
    fprintf(out, "\nmodel mix\n  %-32s %9s %14s %14s %12s %12s\n", "model", "requests", "input tokens", "output tokens",
            "logged cost", "catalog cost");
    for (int i = 0; i < u->nmodels; i++) {
        const data_model *m = &u->models[i];
        char cat[32];
        snprintf(cat, sizeof cat, m->priced ? "%.4f" : "not in catalog", m->catalog_cost);
        fprintf(out, "  %-32s %8.1f%% %14.0f %14.0f %12.4f %12s\n", m->name, total > 0 ? 100 * m->requests / total : 0,
                m->input, m->output, m->cost, cat);
    }
}

void fit_print(FILE *out, const fit_report *r, const fit_source *src)
{
    fprintf(out, "tokensim fit: %s (%s%s%s, preset %s)\n", src->name, r->info.format,
            r->info.compression ? ", " : "", r->info.compression ? compression_names[r->info.compression] : "",
            r->info.preset);
    print_rows(out, r);
    if (r->has_tokens)
        print_tokens(out, r);
    if (r->has_fit)
        print_fit(out, r);
    else if (r->n)
        fprintf(out, "\nno power-law fit: %zu values are too few (at least %d above some xmin)\n", r->n, FIT_MIN_TAIL);
    if (r->has_customers)
        print_customers(out, r);
    if (r->u.nmodels)
        print_models(out, r);
}

/* ---- fit.json ----------------------------------------------------------- */

static cJSON *tokens_json(const fit_tokens *t)
{
    cJSON *o = cJSON_CreateObject();
    json_number_add(o, "requests", t->n);
    json_number_add(o, "mean", t->mean);
    json_number_add(o, "lognormal_mu", t->mu);
    json_number_add(o, "lognormal_sigma", t->sigma);
    const char *q[3] = { "p50", "p90", "p99" };
    cJSON *e = cJSON_AddObjectToObject(o, "quantiles"), *l = cJSON_AddObjectToObject(o, "lognormal_quantiles");
    for (int k = 0; k < 3; k++) {
        json_number_add(e, q[k], t->q[k]);
        json_number_add(l, q[k], t->lq[k]);
    }
    return o;
}

static void fit_json_powerlaw(cJSON *root, const fit_report *r)
{
    const fit_powerlaw *pl = &r->pl;
    cJSON *p = cJSON_AddObjectToObject(root, "power_law");
    cJSON_AddStringToObject(p, "sample", r->has_customers ? "customer mean monthly interactions" : "values");
    cJSON_AddBoolToObject(p, "discrete", pl->discrete);
    json_number_add(p, "alpha", pl->alpha);
    json_number_add(p, "alpha_se", pl->se);
    json_number_add(p, "tokensim_pareto_alpha", pl->alpha - 1);
    json_number_add(p, "xmin", pl->xmin);
    json_number_add(p, "n", (double)pl->n);
    json_number_add(p, "n_tail", (double)pl->ntail);
    json_number_add(p, "ks_distance", pl->ks);
    json_number_add(p, "log_likelihood", pl->loglik);
    json_number_add(p, "p_value", pl->p);
    json_number_add(p, "bootstrap_sets", pl->nboot);
    cJSON *alts = cJSON_AddObjectToObject(root, "alternatives");
    for (int k = 0; k < ALT_COUNT; k++) {
        const fit_alt *a = &r->alt[k];
        cJSON *o = cJSON_AddObjectToObject(alts, fit_alt_names[k]);
        static const char *const pn[ALT_COUNT][2] = { { "mu", "sigma" }, { "lambda", NULL }, { "lambda", "beta" },
                                                      { "alpha", "lambda" } };
        for (int j = 0; j < 2; j++)
            if (pn[k][j])
                json_number_add(o, pn[k][j], a->ok ? a->par[j] : NAN);
        json_number_add(o, "log_likelihood", a->loglik);
        json_number_add(o, "lr_power_law_minus_alt", a->R);
        json_number_add(o, "vuong_z", a->z);
        json_number_add(o, "p_value", a->p);
        cJSON_AddStringToObject(o, "test", k == ALT_CUTOFF ? "nested chi-squared (1 df)" : "Vuong two-sided");
        cJSON_AddStringToObject(o, "verdict", verdict(a));
    }
}

char *fit_json(const fit_report *r, const fit_source *src)
{
    cJSON *root = json_document_create();
    if (!root)
        return NULL;
    cJSON *pv = cJSON_AddObjectToObject(root, "provenance");
    cJSON_AddStringToObject(pv, "tokensim_version", src->version);
    cJSON_AddStringToObject(pv, "source", src->name);
    cJSON_AddStringToObject(pv, "format", r->info.format);
    cJSON_AddStringToObject(pv, "compression", compression_names[r->info.compression]);
    cJSON_AddStringToObject(pv, "preset", r->info.preset);
    json_number_add(pv, "seed", (double)src->seed);
    cJSON_AddStringToObject(pv, "catalog", r->catalog);
    cJSON *cols = cJSON_AddObjectToObject(pv, "columns");
    for (int k = 0; k < ROLE_COUNT; k++)
        if (r->info.has[k])
            cJSON_AddStringToObject(cols, data_role_names[k], r->info.column[k]);
    const data_usage *u = &r->u;
    cJSON *rows = cJSON_AddObjectToObject(root, "rows");
    json_number_add(rows, "read", (double)r->info.rows);
    json_number_add(rows, "used", (double)(u->rows - u->nonpositive_values));
    json_number_add(rows, "values_not_positive", (double)u->nonpositive_values);
    json_number_add(rows, "zero_token_requests", (double)u->zero_token);
    json_number_add(rows, "model_not_in_catalog", (double)u->unpriced);
    json_number_add(rows, "customers_without_usage", (double)r->customers_without_usage);
    if (r->has_tokens) {
        cJSON *t = cJSON_AddObjectToObject(root, "tokens_per_request");
        json_number_add(t, "requests", u->tok_n);
        cJSON_AddItemToObject(t, "input", tokens_json(&r->in));
        cJSON_AddItemToObject(t, "output", tokens_json(&r->out));
        json_number_add(t, "correlation", r->corr);
        json_number_add(t, "correlation_of_logs", r->corr_log);
        cJSON *a = cJSON_AddObjectToObject(t, "share_above_input_tokens");
        for (int k = 0; k < DATA_NTHRESHOLDS; k++) {
            char key[32];
            snprintf(key, sizeof key, "%.0f", data_thresholds[k]);
            json_number_add(a, key, r->above[k]);
        }
    }
    if (r->has_fit)
        fit_json_powerlaw(root, r);
    if (r->has_customers) {
        cJSON *c = cJSON_AddObjectToObject(root, "customers");
        json_number_add(c, "count", (double)u->ncustomers);
        json_number_add(c, "interactions", r->total_interactions);
        json_number_add(c, "logged_cost", r->total_cost);
        json_number_add(c, "catalog_cost", r->total_catalog_cost);
        cJSON *top = cJSON_AddArrayToObject(c, "top_share");
        for (int k = 0; k < FIT_NTOP; k++) {
            cJSON *o = cJSON_CreateObject();
            json_number_add(o, "top", fit_top_fractions[k]);
            json_number_add(o, "usage", r->top_usage[k]);
            json_number_add(o, "catalog_cost", r->has_catalog_cost ? r->top_cost[k] : NAN);
            cJSON_AddItemToArray(top, o);
        }
    }
    cJSON *mix = cJSON_AddArrayToObject(root, "models");
    for (int i = 0; i < u->nmodels; i++) {
        const data_model *m = &u->models[i];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "model", m->name);
        json_number_add(o, "requests", m->requests);
        json_number_add(o, "input_tokens", m->input);
        json_number_add(o, "output_tokens", m->output);
        json_number_add(o, "cached_tokens", m->cached);
        json_number_add(o, "logged_cost", m->cost);
        json_number_add(o, "catalog_cost", m->priced ? m->catalog_cost : NAN);
        cJSON_AddItemToArray(mix, o);
    }
    return json_text_take(root);
}

/* ---- scenario blocks ---------------------------------------------------- */

static void write_features(FILE *f, const fit_report *r)
{
    const data_usage *u = &r->u;
    double priced = 0;
    for (int i = 0; i < u->nmodels; i++)
        priced += u->models[i].priced ? u->models[i].requests : 0;
    fprintf(f, "features:\n  - name: requests       # the logged requests, tokens at their means\n    share: 1.0\n");
    if (priced > 0) {
        fprintf(f, "    routes:\n");
        double left = 1;
        int last = -1;
        for (int i = 0; i < u->nmodels; i++)
            if (u->models[i].priced)
                last = i;
        for (int i = 0; i < u->nmodels; i++) {
            const data_model *m = &u->models[i];
            if (!m->priced)
                continue;
            double s = i == last ? left : round(1e4 * m->requests / priced) / 1e4;
            left -= s;
            fprintf(f, "      - { model: \"%s\", share: %.4f }\n", m->name, s < 0 ? 0 : s);
        }
    } else {
        fprintf(f, "    model: \"%s\"        # the data names no model of the catalog: choose one\n", r->first_model);
    }
    fprintf(f, "    tokens: { system: 0, history: 0, user: 0, context: %.0f, output: %.0f }\n",
            r->has_tokens ? r->in.mean : 0, r->has_tokens ? r->out.mean : 0);
    /* the spread of the requests' tokens, so long-context prices and output
     * limits are paid as the requests would pay them, not as the mean one */
    double si = r->has_tokens ? fmin(r->in.sigma, 4) : 0, so = r->has_tokens ? fmin(r->out.sigma, 4) : 0;
    if (si > 0 || so > 0)
        fprintf(f, "    spread: { law: lognormal, input_sigma: %.4f, output_sigma: %.4f }   # fitted; or law: "
                "empirical, data: FILE for the requests as they are\n", isfinite(si) ? si : 0,
                isfinite(so) ? so : 0);
}

char *fit_scenario_yaml(const fit_report *r, const fit_source *src, bool whole)
{
    if (!r->has_fit && !r->has_tokens)
        return NULL;
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (!f)
        return NULL;
    fprintf(f, "# fitted by tokensim %s fit from %s\n", src->version, src->name);
    if (whole) {
        fprintf(f, "name: Fitted from %s\nhorizon_months: 12\nreplications: 200\nseed: %llu\n", src->name,
                (unsigned long long)src->seed);
        fprintf(f, "prices: { catalog: %s }\n", r->catalog);
        fprintf(f, "customers:\n  initial: %zu\n  new_per_month: 0\n  churn_monthly: 0\n",
                r->has_customers ? r->u.ncustomers : (size_t)1000);
    }
    if (r->has_fit) {
        const fit_powerlaw *pl = &r->pl;
        double cap = r->x[r->n - 1];
        fprintf(f, "# power law (CSN) alpha %.4f +- %.4f above xmin %.6g: %zu of %zu in the tail",
                pl->alpha, pl->se, pl->xmin, pl->ntail, pl->n);
        if (pl->nboot)
            fprintf(f, ", p = %.3f", pl->p);
        fprintf(f, "\n# tokensim's pareto alpha is the survival exponent, CSN's alpha - 1; the law starts at xmin,\n"
                   "# so the %zu below it are modelled as if they used xmin\n", pl->n - pl->ntail);
        fprintf(f, "usage:\n  distribution: pareto\n  alpha: %.4f\n  min: %.6g\n  cap: %.6g\n  counts: poisson\n",
                pl->alpha - 1, pl->xmin, cap > pl->xmin ? cap : pl->xmin * 10);
    } else if (whole) {
        fprintf(f, "usage: { distribution: pareto, alpha: 1.25, min: 25, cap: 4000 }   # no customers to fit\n");
    }
    if (r->has_tokens || whole)
        write_features(f, r);
    if (whole)
        fprintf(f, "plans:\n  - { name: flat, type: flat, price: 20 }   # set your price\n");
    if (fclose(f) != 0) {
        free(text);
        return NULL;
    }
    return text;
}

/* ---- plots -------------------------------------------------------------- */

static int emit(const char *name, const char *tpl, char *body, const plot_opts *o, plot_report *rep, ts_error *err)
{
    int rc = body ? plots_emit(name, tpl, body, o, rep, err)
                  : ts_error_set(err, TS_ERR_RUNTIME, NULL, 0, 0, "out of memory writing plots");
    free(body);
    return rc;
}

static FILE *begin(char **body, size_t *len, const char *what, const fit_source *src, const char *title)
{
    FILE *f = open_memstream(body, len);
    if (!f)
        return NULL;
    provenance pv = { .version = src->version, .scenario_file = src->name, .seed = src->seed };
    plots_head(f, what, &pv, title);
    return f;
}

static int plot_ccdf(const fit_report *r, const fit_source *src, const plot_opts *o, plot_report *rep, ts_error *err)
{
    const fit_powerlaw *pl = &r->pl;
    char *body = NULL, t[300];
    size_t len = 0;
    snprintf(t, sizeof t, "%s: alpha %.3f +- %.3f above xmin %.4g", src->name, pl->alpha, pl->se, pl->xmin);
    FILE *f = begin(&body, &len, "fit_ccdf", src, t);
    if (!f)
        return emit("fit_ccdf", plot_template_fit_ccdf, NULL, o, rep, err);
    fprintf(f, "xlabel_text = ");
    plots_gp_string(f, r->has_customers ? "mean monthly interactions of a customer" : "value");
    fprintf(f, "\npl_label = \"power law, alpha %.3f\"\nxmin_fit = %.12g\n$ccdf << EOD\n", pl->alpha, pl->xmin);
    for (size_t i = 0; i < r->n; i++)
        if (i == 0 || r->x[i] != r->x[i - 1])
            fprintf(f, "%.12g %.8g\n", r->x[i], (double)(r->n - i) / (double)r->n);
    fprintf(f, "EOD\n$fits << EOD\n");
    double frac = (double)pl->ntail / (double)pl->n, hi = r->x[r->n - 1];
    for (int k = 0; k <= 100; k++) {
        double x = pl->xmin * pow(hi / pl->xmin, k / 100.0);
        if (pl->discrete)
            x = floor(x);
        fprintf(f, "%.12g %.8g", x, frac * fit_pl_ccdf(pl->discrete, pl->alpha, pl->xmin, x));
        for (int a = 0; a < ALT_COUNT; a++) {
            double v = frac * fit_alt_ccdf(&r->alt[a], pl->xmin, x);
            fprintf(f, v > 0 && isfinite(v) ? " %.8g" : " NaN", v);
        }
        fputc('\n', f);
    }
    fprintf(f, "EOD\n");
    fclose(f);
    return emit("fit_ccdf", plot_template_fit_ccdf, body, o, rep, err);
}

static int plot_ks(const fit_report *r, const fit_source *src, const plot_opts *o, plot_report *rep, ts_error *err)
{
    char *body = NULL, t[300];
    size_t len = 0;
    snprintf(t, sizeof t, "%s: KS distance against xmin (smallest at %.4g)", src->name, r->pl.xmin);
    FILE *f = begin(&body, &len, "fit_ks", src, t);
    if (!f)
        return emit("fit_ks", plot_template_fit_ks, NULL, o, rep, err);
    fprintf(f, "xmin_fit = %.12g\n$ks << EOD\n", r->pl.xmin);
    for (size_t i = 0; i < r->scan.n; i++)
        fprintf(f, "%.12g %.8g %.8g\n", r->scan.xmin[i], r->scan.ks[i], r->scan.alpha[i]);
    fprintf(f, "EOD\n");
    fclose(f);
    return emit("fit_ks", plot_template_fit_ks, body, o, rep, err);
}

static int plot_qq(const fit_report *r, const fit_source *src, const plot_opts *o, plot_report *rep, ts_error *err)
{
    const fit_powerlaw *pl = &r->pl;
    char *body = NULL, t[300];
    size_t len = 0;
    snprintf(t, sizeof t, "%s: the tail against the fitted power law", src->name);
    FILE *f = begin(&body, &len, "fit_qq", src, t);
    if (!f)
        return emit("fit_qq", plot_template_fit_qq, NULL, o, rep, err);
    fprintf(f, "$qq << EOD\n");
    const double *tail = r->x + (r->n - pl->ntail);
    size_t step = pl->ntail > 2000 ? pl->ntail / 2000 : 1;
    for (size_t i = 0; i < pl->ntail; i += step) {
        /* the fitted quantile at the plotting position (i + 1/2) / n */
        double u = 1 - ((double)i + 0.5) / (double)pl->ntail;
        fprintf(f, "%.8g %.12g\n", fit_pl_draw(pl->discrete, pl->alpha, pl->xmin, u), tail[i]);
    }
    fprintf(f, "EOD\n");
    fclose(f);
    return emit("fit_qq", plot_template_fit_qq, body, o, rep, err);
}

int fit_plots_write(const fit_report *r, const fit_source *src, const plot_opts *o, plot_report *rep, ts_error *err)
{
    memset(rep, 0, sizeof *rep);
    if (!r->has_fit)
        return TS_OK;
    int rc = plot_ccdf(r, src, o, rep, err);
    if (!rc)
        rc = plot_ks(r, src, o, rep, err);
    if (!rc)
        rc = plot_qq(r, src, o, rep, err);
    return rc;
}
