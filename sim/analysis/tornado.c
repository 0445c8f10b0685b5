/* tornado.c: one-at-a-time sensitivity of a plan's margin, ranked. */
#include "tornado.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "plots/plots.h"
#include "sim/output/csv.h"
#include "sim/output/doc.h"
#include "sim/output/json.h"
#include "probe.h"

static void add(tornado_param *v, int *n, const char *path, bool rel, double lo, double hi)
{
    if (*n == TORNADO_MAX)
        return;
    tornado_param *p = &v[*n];
    /* a path longer than any key path the schema has cannot name a value:
     * leave it out rather than vary a truncated one */
    if ((size_t)snprintf(p->path, sizeof p->path, "%s", path) >= sizeof p->path)
        return;
    (*n)++;
    p->relative = rel;
    p->low = lo;
    p->high = hi;
}

/* Whether the product sends calls to model k: a feature's route, or where
 * the levers in force at the first or the last month send them (routing,
 * cascades, self-hosting spill-over). A model only priced in the catalog is
 * not a parameter of the product. */
static bool model_used(const scenario *s, int k)
{
    int months[2] = { 1, s->horizon };
    for (int mi = 0; mi < 2; mi++)
        for (int f = 0; f < s->nfeatures; f++)
            for (int r = 0; r < feature_route_count(&s->features[f]); r++) {
                lever_spec sp;
                lever_spec_init(&sp, &s->features[f], f, r, &s->prices, &s->world, months[mi]);
                for (int j = 0; j < s->nlevers; j++) {
                    const lever *l = &s->levers[j];
                    if (l->feature_index < 0 || l->feature_index == f)
                        lever_apply(&sp, l, lever_strength(l, months[mi]), &s->prices);
                }
                if (feature_route_model(&s->features[f], r) == k || sp.w[k] > 0
                    || (sp.self_w > 0 && sp.self_model == k))
                    return true;
            }
    return false;
}

void tornado_params_standard(const scenario *s, int p, double pct, tornado_param *v, int *n)
{
    double f = pct / 100, lo = 1 - f, hi = 1 + f;
    const usage_dist *u = &s->usage;
    *n = 0;
    const usage_law *law = usage_law_of(u);
    usage_sens us[8];
    int nu = law->sensitivity ? law->sensitivity(u, f, us, 8) : 0;
    for (int i = 0; i < nu; i++)
        add(v, n, us[i].path, us[i].relative, us[i].low, us[i].high);
    char mpath[CHANGE_PATH_LEN];
    for (int k = 0; k < s->prices.nmodels; k++)
        if (model_used(s, k)) {
            snprintf(mpath, sizeof mpath, "prices.models.%s.input_per_mtok", s->prices.models[k].name);
            add(v, n, mpath, true, lo, hi);
            snprintf(mpath, sizeof mpath, "prices.models.%s.output_per_mtok", s->prices.models[k].name);
            add(v, n, mpath, true, lo, hi);
        }
    add(v, n, "features.*.calls_per_interaction", true, lo, hi);
    add(v, n, "features.*.tokens.output", true, lo, hi);
    bool ctx = false, hist = false;
    for (int i = 0; i < s->nfeatures; i++) {
        ctx |= s->features[i].tokens.context > 0;
        hist |= s->features[i].tokens.history > 0;
    }
    if (ctx)
        add(v, n, "features.*.tokens.context", true, lo, hi);
    if (hist)
        add(v, n, "features.*.tokens.history", true, lo, hi);
    if (s->customers.churn > 0 && s->customers.churn * hi < 1)
        add(v, n, "customers.churn_monthly", true, lo, hi);
    const char *key = probe_price_key(&s->plans[p]);
    char path[CHANGE_PATH_LEN];
    if (key) {
        snprintf(path, sizeof path, "plans.%s.%s", s->plans[p].name, key);
        add(v, n, path, true, lo, hi);
    }
    if (s->costs.infra_per_customer > 0)
        add(v, n, "costs.infra_per_customer_month", true, lo, hi);
}

void tornado_label(const char *path, char *buf, size_t n)
{
    static const struct { const char *tail, *words; } names[] = {
        { "input_per_mtok", "input price" },
        { "output_per_mtok", "output price" },
        { "cached_input_per_mtok", "cached input price" },
        { "calls_per_interaction", "calls per interaction" },
        { "tokens.output", "output tokens" },
        { "tokens.context", "context tokens" },
        { "tokens.history", "history tokens" },
        { "tokens.system", "system prompt tokens" },
        { "tokens.user", "user tokens" },
        { "churn_monthly", "churn rate" },
        { "new_per_month", "new customers a month" },
        { "infra_per_customer_month", "infrastructure $ per customer" },
        { "alpha", "usage tail exponent (alpha)" },
        { "min", "lightest usage (min)" },
        { "cap", "usage cap" },
        { "mu", "usage median (log mu)" },
        { "sigma", "usage spread (sigma)" },
        { "value", "usage per customer-month" },
        { "price", "price" },
        { "unit_price", "unit price" },
        { "overage", "overage price" },
        { "included", "included interactions" },
        { "per_outcome", "price per outcome" },
        { "pack_price", "credit pack price" },
    };
    char head[CHANGE_PATH_LEN];
    snprintf(head, sizeof head, "%s", path);
    const char *words = NULL;
    for (size_t i = 0; i < sizeof names / sizeof names[0] && !words; i++) {
        size_t hl = strlen(head), tl = strlen(names[i].tail);
        if (hl > tl && head[hl - tl - 1] == '.' && strcmp(head + hl - tl, names[i].tail) == 0) {
            words = names[i].words;
            head[hl - tl - 1] = 0;
        }
    }
    if (!words) {
        snprintf(buf, n, "%s", path);
        return;
    }
    /* what the value belongs to: a model, a feature, a plan, or all of them */
    const char *dot = strrchr(head, '.');
    const char *owner = dot ? dot + 1 : "";
    if (strncmp(head, "prices.models.", 14) == 0)
        snprintf(buf, n, "%s %s", strcmp(owner, "*") ? owner : "every model's", words);
    else if (strncmp(head, "features.", 9) == 0 && strchr(head + 9, '.') == NULL)
        snprintf(buf, n, "%s%s%s", strcmp(owner, "*") ? owner : "", strcmp(owner, "*") ? " " : "", words);
    else if (strncmp(head, "features.", 9) == 0)
        snprintf(buf, n, "%s", words); /* features.*.tokens: owner is the feature, before "tokens" */
    else if (strncmp(head, "plans.", 6) == 0)
        snprintf(buf, n, "%s of plan %s", words, owner);
    else
        snprintf(buf, n, "%s", words);
}

int tornado_param_parse(const char *arg, double pct, tornado_param *out, ts_error *err)
{
    memset(out, 0, sizeof *out);
    double v[3];
    int nv = change_range_parse(arg, out->path, v);
    if (nv == 0) {
        out->relative = true;
        out->low = 1 - pct / 100;
        out->high = 1 + pct / 100;
        return TS_OK;
    }
    if (nv != 2 || !(v[0] < v[1]))
        return ts_error_set(err, TS_ERR_INPUT, NULL, 0, 0,
                            "invalid --param '%s': expected PATH, or PATH=LOW:HIGH with numbers, LOW < HIGH", arg);
    out->low = v[0];
    out->high = v[1];
    return TS_OK;
}

/* Runs the scenario with `path` moved by (op, v); fills per-replication
 * margins and the first value run. */
static int run_at(const char *file, const char *const *sets, int nsets, const scenario *base, const tornado_param *p,
                  double v, int pidx, const probe_opts *po, double *margins, double *first, ts_error *err)
{
    change_cfg ch = { .op = p->relative ? CHANGE_TIMES : CHANGE_TO, .value = v };
    snprintf(ch.path, sizeof ch.path, "%s", p->path);
    char buf[CHANGE_MAX_EXPANSION][CHANGE_SET_LEN];
    int nb = 0;
    int rc = change_resolve(base, &ch, 1, buf, CHANGE_MAX_EXPANSION, &nb, err);
    if (rc)
        return rc;
    const char *extra[CHANGE_MAX_EXPANSION];
    for (int i = 0; i < nb; i++)
        extra[i] = buf[i];
    *first = nb ? strtod(strchr(buf[0], '=') + 1, NULL) : NAN;
    probe pr;
    if ((rc = probe_run(&pr, file, sets, nsets, extra, nb, po, err))) {
        if (rc == TS_ERR_INPUT)
            ts_error_prefix(err, "parameter '%s' at %g: ", p->path, *first);
        return rc;
    }
    probe_rep_totals(&pr, pidx, TOT_MARGIN, margins);
    probe_free(&pr);
    return TS_OK;
}

static int by_swing(const void *a, const void *b)
{
    double x = fabs(((const tornado_row *)a)->swing), y = fabs(((const tornado_row *)b)->swing);
    return (x < y) - (x > y);
}

int tornado_run(const char *file, const char *const *sets, int nsets, const tornado_param *prm, int n, int pidx,
                int threads, volatile sig_atomic_t *stop, tornado_result *out, ts_error *err)
{
    memset(out, 0, sizeof *out);
    probe pr;
    char *text = probe_text(file);
    probe_opts po = { threads, stop, 0, text };
    probe_meter_plan(1 + 2 * (n < TORNADO_MAX ? n : TORNADO_MAX));
    int rc = probe_run(&pr, file, sets, nsets, NULL, 0, &po, err);
    if (rc) {
        free(text);
        return rc;
    }
    out->plan = pidx;
    snprintf(out->plan_name, sizeof out->plan_name, "%s", pr.s->plans[pidx].name);
    out->base_margin = sum_total(&pr.sm, pidx, TOT_MARGIN)->mean;
    out->base_se = sum_total(&pr.sm, pidx, TOT_MARGIN)->se;
    tail_check(pr.s, &pr.rr, &out->tail);
    int nr = out->nreps = pr.rr.nreps;
    double *ml = malloc(3 * (size_t)nr * sizeof *ml), *mh = ml ? ml + nr : NULL, *work = ml ? mh + nr : NULL;
    if (!ml) {
        probe_free(&pr);
        free(text);
        return ts_error_set(err, TS_ERR_RUNTIME, NULL, 0, 0, "out of memory");
    }
    for (int i = 0; i < n && i < TORNADO_MAX && rc == TS_OK; i++) {
        tornado_row *w = &out->rows[out->n];
        w->prm = prm[i];
        if ((rc = change_value_get(pr.s, prm[i].path, &w->base_value, err))) {
            ts_error_prefix(err, "invalid sensitivity parameter: ");
            break;
        }
        if ((rc = run_at(file, sets, nsets, pr.s, &prm[i], prm[i].low, pidx, &po, ml, &w->low_value, err)))
            break;
        if ((rc = run_at(file, sets, nsets, pr.s, &prm[i], prm[i].high, pidx, &po, mh, &w->high_value, err)))
            break;
        ts_stat a = stat_compute(ml, nr, work), b = stat_compute(mh, nr, work);
        w->m_low = a.mean;
        w->m_high = b.mean;
        for (int k = 0; k < nr; k++)
            mh[k] -= ml[k];
        ts_stat d = stat_compute(mh, nr, work);
        w->swing = d.mean, w->swing_lo = d.ci_lo, w->swing_hi = d.ci_hi;
        out->n++;
    }
    free(ml);
    probe_free(&pr);
    free(text);
    if (rc == TS_OK)
        qsort(out->rows, (size_t)out->n, sizeof out->rows[0], by_swing);
    return rc;
}

void tornado_print(FILE *f, const tornado_result *r)
{
    fprintf(f, "plan %s: gross margin over the horizon %.2f%% (+-%.2f) at the baseline\n\n", r->plan_name,
            r->base_margin, 1.96 * r->base_se);
    fprintf(f, "%-4s %-36s %12s %12s %12s %9s %9s %24s\n", "rank", "parameter", "baseline", "low", "high",
            "margin lo", "margin hi", "swing, paired 95% CI");
    for (int i = 0; i < r->n; i++) {
        const tornado_row *w = &r->rows[i];
        char label[160];
        tornado_label(w->prm.path, label, sizeof label);
        fprintf(f, "%-4d %-36s %12.6g %12.6g %12.6g %9.2f %9.2f %+8.2f (%+.2f..%+.2f)\n", i + 1, label,
                w->base_value, w->low_value, w->high_value, w->m_low, w->m_high, w->swing, w->swing_lo, w->swing_hi);
    }
}

char *tornado_csv(const tornado_result *r)
{
    csv_writer w;
    if (!csv_begin(&w))
        return NULL;
    static const char *const head[] = { "rank", "parameter", "baseline_value", "low_value", "high_value", "margin_low",
                                        "margin_high", "swing", "swing_ci_lo", "swing_ci_hi" };
    for (size_t i = 0; i < sizeof head / sizeof head[0]; i++)
        csv_text(&w, head[i]);
    csv_row_end(&w);
    for (int i = 0; i < r->n; i++) {
        const tornado_row *row = &r->rows[i];
        csv_int(&w, i + 1);
        csv_name(&w, row->prm.path);
        double v[] = { row->base_value, row->low_value, row->high_value, row->m_low, row->m_high, row->swing,
                       row->swing_lo, row->swing_hi };
        for (size_t k = 0; k < sizeof v / sizeof v[0]; k++)
            csv_number(&w, v[k]);
        csv_row_end(&w);
    }
    return csv_finish(&w, NULL);
}

char *tornado_json(const tornado_result *r, const provenance *pv)
{
    cJSON *root = json_document_create();
    json_provenance_add(root, pv);
    cJSON *t = cJSON_AddObjectToObject(root, "tornado");
    cJSON_AddStringToObject(t, "plan", r->plan_name);
    json_number_add(t, "baseline_margin", r->base_margin);
    json_number_add(t, "baseline_margin_se", r->base_se);
    cJSON *a = cJSON_AddArrayToObject(t, "parameters");
    for (int i = 0; i < r->n; i++) {
        const tornado_row *w = &r->rows[i];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddItemToArray(a, o);
        char label[160];
        tornado_label(w->prm.path, label, sizeof label);
        cJSON_AddStringToObject(o, "path", w->prm.path);
        cJSON_AddStringToObject(o, "label", label);
        json_number_add(o, "baseline_value", w->base_value);
        json_number_add(o, "low_value", w->low_value);
        json_number_add(o, "high_value", w->high_value);
        json_number_add(o, "margin_low", w->m_low);
        json_number_add(o, "margin_high", w->m_high);
        json_number_add(o, "swing", w->swing);
        json_number_add(o, "swing_ci95_lo", w->swing_lo);
        json_number_add(o, "swing_ci95_hi", w->swing_hi);
    }
    return json_text_take(root);
}

extern const char *const plot_template_tornado;

int tornado_plot(const tornado_result *r, const provenance *pv, const char *title, const plot_opts *o,
                 plot_report *rep, ts_error *err)
{
    memset(rep, 0, sizeof *rep);
    char *body = NULL, t[300];
    size_t len = 0;
    FILE *f = open_memstream(&body, &len);
    if (!f)
        return ts_error_set(err, TS_ERR_RUNTIME, NULL, 0, 0, "out of memory writing plots");
    snprintf(t, sizeof t, "%s, plan %s: what moves the margin", title, r->plan_name);
    plots_head(f, "tornado", pv, t);
    fprintf(f, "nrows = %d\n$t << EOD\n", r->n);
    for (int i = 0; i < r->n; i++) {
        const tornado_row *w = &r->rows[i];
        char label[160];
        tornado_label(w->prm.path, label, sizeof label);
        fprintf(f, "%d %.6g %.6g %.6g ", r->n - i, r->base_margin, w->m_low, w->m_high);
        plots_gp_datum(f, label);
        fputc('\n', f);
    }
    fputs("EOD\n", f);
    fclose(f);
    int rc = body ? plots_emit("tornado", plot_template_tornado, body, o, rep, err)
                  : ts_error_set(err, TS_ERR_RUNTIME, NULL, 0, 0, "out of memory");
    free(body);
    return rc;
}

int tornado_document(const tornado_result *r, const provenance *pv, const char *title, const char *dir, bool plots,
                     ts_error *err)
{
    doc d = { 0 };
    doc_text(&d, B_H1, "Sensitivity: %s", title);
    doc_text(&d, B_P,
             "tokensim %s, scenario %s (hash %016llx), seed %llu, %d replications per run. Each parameter moves "
             "alone to its low and its high value with the baseline's random numbers; the swing is the margin at "
             "the high value minus the margin at the low one, paired replication by replication. Plan %s has a "
             "gross margin of %.2f%% over the horizon at the baseline.",
             pv->version, pv->scenario_file, (unsigned long long)pv->hash, (unsigned long long)pv->seed,
             pv->replications, r->plan_name, r->base_margin);
    if (plots)
        doc_image(&d, "plots/tornado.png", "Each parameter's low (blue) and high (orange) value against the baseline.");
    block *t = doc_table(&d, r->n + 1, 7);
    const char *head[] = { "rank", "parameter", "baseline", "low .. high", "margin at low", "margin at high",
                           "swing (95% CI)" };
    for (int c = 0; c < 7; c++)
        doc_cell(&d, t, 0, c, "%s", head[c]);
    for (int i = 0; i < r->n; i++) {
        const tornado_row *w = &r->rows[i];
        doc_cell(&d, t, i + 1, 0, "%d", i + 1);
        char label[160];
        tornado_label(w->prm.path, label, sizeof label);
        doc_cell(&d, t, i + 1, 1, "%s (%s)", label, w->prm.path);
        doc_cell(&d, t, i + 1, 2, "%.6g", w->base_value);
        doc_cell(&d, t, i + 1, 3, "%.6g .. %.6g", w->low_value, w->high_value);
        doc_cell(&d, t, i + 1, 4, "%.2f%%", w->m_low);
        doc_cell(&d, t, i + 1, 5, "%.2f%%", w->m_high);
        doc_cell(&d, t, i + 1, 6, "%+.2f (%+.2f..%+.2f)", w->swing, w->swing_lo, w->swing_hi);
    }
    int rc = doc_write(&d, dir, "tornado", err);
    doc_free(&d);
    return rc;
}
