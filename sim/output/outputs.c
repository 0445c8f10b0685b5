/* outputs.c: the files a run leaves behind, each built in memory and then
 * written atomically (fileio.c). */
#include <stdlib.h>
#include <string.h>

#include "sim/core/fileio.h"
#include "csv.h"
#include "json.h"
#include "planswitch_out.h"
#include "sim/engine/tail.h"
#include "report.h"
#include "waterfall.h"
#include "dashboard.h"
#include "finance_out.h"
#include "menu.h"
#include "format.h"
#include "uncertain_out.h"

const char *outputs_tail_warning(const provenance *pv, char *buf, size_t n)
{
    if (!pv->tail || !pv->tail->heavy)
        return NULL;
    tail_describe(pv->tail, buf, n);
    return buf;
}

/* The five figures of a statistic, in the order of the header's names. */
static void csv_stat(csv_writer *w, const ts_stat *st)
{
    csv_number(w, st->mean);
    csv_number(w, st->se);
    csv_number(w, st->p5);
    csv_number(w, st->p50);
    csv_number(w, st->p95);
}

static void csv_stat_header(csv_writer *w, const char *name)
{
    static const char *const parts[5] = { "mean", "se", "p5", "p50", "p95" };
    for (int i = 0; i < 5; i++)
        csv_textf(w, "%s_%s", name, parts[i]);
}

static char *monthly_csv(const scenario *s, const summary *sm, size_t *len)
{
    csv_writer w;
    if (!csv_begin(&w))
        return NULL;
    csv_text(&w, "plan");
    csv_text(&w, "month");
    for (int k = 0; k < MET_COUNT; k++)
        csv_stat_header(&w, metric_names[k]);
    csv_row_end(&w);
    for (int p = 0; p < sm->nplans; p++)
        for (int m = 0; m < sm->nmonths; m++) {
            csv_name(&w, s->plans[p].name);
            csv_int(&w, m + 1);
            for (int k = 0; k < MET_COUNT; k++)
                csv_stat(&w, sum_month(sm, p, m, k));
            csv_row_end(&w);
        }
    return csv_finish(&w, len);
}

/* monthly.csv in long form, one figure a row, with no comment line, so
 * pandas, R, DuckDB and spreadsheets read it with no options. */
static char *metrics_csv(const scenario *s, const summary *sm, size_t *len)
{
    static const char *const stats[5] = { "mean", "se", "p5", "p50", "p95" };
    csv_writer w;
    if (!csv_begin(&w))
        return NULL;
    static const char *const head[5] = { "plan", "month", "metric", "statistic", "value" };
    for (int i = 0; i < 5; i++)
        csv_text(&w, head[i]);
    csv_row_end(&w);
    for (int p = 0; p < sm->nplans; p++)
        for (int m = 0; m < sm->nmonths; m++)
            for (int k = 0; k < MET_COUNT; k++) {
                const ts_stat *st = sum_month(sm, p, m, k);
                const double v[5] = { st->mean, st->se, st->p5, st->p50, st->p95 };
                for (int i = 0; i < 5; i++) {
                    csv_name(&w, s->plans[p].name);
                    csv_int(&w, m + 1);
                    csv_text(&w, metric_names[k]);
                    csv_text(&w, stats[i]);
                    csv_number(&w, v[i]);
                    csv_row_end(&w);
                }
            }
    return csv_finish(&w, len);
}

static char *segments_csv(const scenario *s, const summary *sm, size_t *len)
{
    csv_writer w;
    if (!csv_begin(&w))
        return NULL;
    csv_text(&w, "plan");
    csv_text(&w, "segment");
    for (int k = 0; k < SX_COUNT; k++)
        csv_stat_header(&w, segment_stat_names[k]);
    csv_row_end(&w);
    for (int p = 0; p < sm->nplans; p++)
        for (int g = 0; g < sm->nsegments; g++) {
            csv_name(&w, s->plans[p].name);
            csv_name(&w, usage_dist_segment_name(&s->usage, g));
            for (int k = 0; k < SX_COUNT; k++)
                if (k == SX_MARGIN && !fmt_segment_margin_shown(sm, p, g))
                    for (int i = 0; i < 5; i++)
                        csv_text(&w, ""); /* too little revenue for a margin (format.h) */
                else
                    csv_stat(&w, sum_seg(sm, p, g, k));
            csv_row_end(&w);
        }
    return csv_finish(&w, len);
}

static char *replications_csv(const scenario *s, const run_result *r, size_t *len)
{
    csv_writer w;
    if (!csv_begin(&w))
        return NULL;
    csv_text(&w, "plan");
    csv_text(&w, "replication");
    csv_text(&w, "month");
    for (int k = 0; k < MET_COUNT; k++)
        csv_text(&w, metric_names[k]);
    csv_row_end(&w);
    for (int p = 0; p < r->nplans; p++)
        for (int i = 0; i < r->nreps; i++)
            for (int m = 0; m < r->nmonths; m++) {
                csv_name(&w, s->plans[p].name);
                csv_int(&w, r->first + i + 1);
                csv_int(&w, m + 1);
                const double *mm = run_month(r, i, p, m);
                for (int k = 0; k < MET_COUNT; k++)
                    csv_number(&w, mm[k]);
                csv_row_end(&w);
            }
    return csv_finish(&w, len);
}

cJSON *json_stat(const ts_stat *st)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "mean", st->mean);
    cJSON_AddNumberToObject(o, "se", st->se);
    cJSON *ci = cJSON_AddArrayToObject(o, "ci95");
    cJSON_AddItemToArray(ci, cJSON_CreateNumber(st->ci_lo));
    cJSON_AddItemToArray(ci, cJSON_CreateNumber(st->ci_hi));
    cJSON_AddNumberToObject(o, "p5", st->p5);
    cJSON_AddNumberToObject(o, "p25", st->p25);
    cJSON_AddNumberToObject(o, "p50", st->p50);
    cJSON_AddNumberToObject(o, "p75", st->p75);
    cJSON_AddNumberToObject(o, "p95", st->p95);
    cJSON_AddNumberToObject(o, "n", st->n);
    return o;
}

/* The run's provenance: the shared members, then how it was sampled. */
static void summary_provenance(cJSON *root, const scenario *s, const provenance *pv)
{
    cJSON *prov = json_provenance_add(root, pv);
    cJSON_AddNumberToObject(prov, "first_replication", pv->first + 1);
    cJSON_AddBoolToObject(prov, "single_replication", pv->single);
    if (pv->precision_target > 0) {
        cJSON *pr = cJSON_AddObjectToObject(prov, "precision");
        cJSON_AddStringToObject(pr, "statistic", pv->precision_stat);
        cJSON_AddNumberToObject(pr, "target_halfwidth", pv->precision_target);
        cJSON_AddNumberToObject(pr, "halfwidth", pv->precision_halfwidth);
        cJSON_AddBoolToObject(pr, "reached", pv->precision_reached);
    }
    cJSON_AddStringToObject(prov, "sampling_intensities", sampling_kind_names[s->sampling.intensities]);
    cJSON_AddBoolToObject(prov, "sampling_antithetic", s->sampling.antithetic);
    cJSON_AddStringToObject(prov, "price_table_date", s->prices.date);
}

/* The expected cost of one interaction, in total and per feature and model. */
static void summary_costs(cJSON *root, const scenario *s)
{
    interaction_cost e = cost_interaction_expected(s->features, s->nfeatures, &s->prices);
    cJSON *cpi = cJSON_AddObjectToObject(root, "cost_per_interaction");
    cJSON_AddNumberToObject(cpi, "total", e.total);
    cJSON_AddNumberToObject(cpi, "input", e.input);
    cJSON_AddNumberToObject(cpi, "output", e.output);
    cJSON_AddNumberToObject(cpi, "retrieval", e.retrieval);
    cJSON_AddNumberToObject(cpi, "tokens", e.tokens);
    cJSON *feats = cJSON_AddArrayToObject(cpi, "features");
    for (int f = 0; f < s->nfeatures; f++) {
        const feature *ft = &s->features[f];
        for (int r = 0; r < feature_route_count(ft); r++) {
            interaction_cost c = cost_interaction(ft, r, &s->prices);
            cJSON *o = cJSON_CreateObject();
            cJSON_AddStringToObject(o, "feature", ft->name);
            cJSON_AddStringToObject(o, "model", s->prices.models[feature_route_model(ft, r)].name);
            cJSON_AddNumberToObject(o, "share", ft->share * feature_route_share(ft, r));
            cJSON_AddNumberToObject(o, "input", c.input);
            cJSON_AddNumberToObject(o, "output", c.output);
            cJSON_AddNumberToObject(o, "retrieval", c.retrieval);
            cJSON_AddNumberToObject(o, "total", c.total);
            cJSON_AddNumberToObject(o, "tokens", c.tokens);
            cJSON_AddItemToArray(feats, o);
        }
    }
}

/* Plan p against every other plan, paired replication by replication. */
static void summary_versus(cJSON *po, const scenario *s, const summary *sm, int p)
{
    cJSON *vs = cJSON_AddArrayToObject(po, "versus");
    for (int q = 0; q < sm->nplans; q++) {
        if (q == p)
            continue;
        cJSON *d = cJSON_CreateObject();
        cJSON_AddStringToObject(d, "plan", s->plans[q].name);
        cJSON_AddItemToObject(d, "margin_difference_pts", json_stat(&sm->pair_margin[p * sm->nplans + q]));
        cJSON_AddItemToObject(d, "gross_profit_difference", json_stat(&sm->pair_profit[p * sm->nplans + q]));
        cJSON_AddItemToArray(vs, d);
    }
}

/* Plan p: its terms, totals, comparisons, months and segments. */
static cJSON *summary_plan(const scenario *s, const summary *sm, int p)
{
    const plan *pl = &s->plans[p];
    cJSON *po = cJSON_CreateObject();
    cJSON_AddStringToObject(po, "name", pl->name);
    cJSON_AddStringToObject(po, "type", plan_kind_name(pl->kind));
    /* price is null where the type has no monthly price (usage, tiered,
     * outcome, credits): a 0 there read as "free"; terms has every charge */
    char terms[256];
    plan_describe(pl, terms, sizeof terms);
    const char *pk = plan_price_key(pl);
    if (pk && strcmp(pk, "price") == 0)
        cJSON_AddNumberToObject(po, "price", pl->price);
    else
        cJSON_AddNullToObject(po, "price");
    cJSON_AddStringToObject(po, "terms", terms);
    cJSON_AddNumberToObject(po, "target_margin_pct", 100 * pl->target_margin);
    cJSON *tot = cJSON_AddObjectToObject(po, "totals");
    for (int k = 0; k < TOT_COUNT; k++)
        cJSON_AddItemToObject(tot, total_names[k], json_stat(sum_total(sm, p, k)));
    cJSON_AddNumberToObject(po, "prob_margin_below_50", sm->p_margin_below_50[p]);
    summary_versus(po, s, sm, p);
    cJSON_AddNumberToObject(po, "prob_margin_below_0", sm->p_margin_below_0[p]);
    cJSON *months = cJSON_AddArrayToObject(po, "months");
    for (int m = 0; m < sm->nmonths; m++) {
        cJSON *mo = cJSON_CreateObject();
        cJSON_AddNumberToObject(mo, "month", m + 1);
        for (int k = 0; k < MET_COUNT; k++)
            cJSON_AddItemToObject(mo, metric_names[k], json_stat(sum_month(sm, p, m, k)));
        cJSON_AddItemToArray(months, mo);
    }
    cJSON *segs = cJSON_AddArrayToObject(po, "segments");
    for (int g = 0; g < sm->nsegments; g++) {
        cJSON *so = cJSON_CreateObject();
        cJSON_AddStringToObject(so, "segment", usage_dist_segment_name(&s->usage, g));
        for (int k = 0; k < SX_COUNT; k++)
            cJSON_AddItemToObject(so, segment_stat_names[k], json_stat(sum_seg(sm, p, g, k)));
        cJSON_AddItemToArray(segs, so);
    }
    return po;
}

/* The provenance of summary.json alone, for readers of the CSVs. */
static char *provenance_json(const scenario *s, const provenance *pv)
{
    cJSON *root = cJSON_CreateObject();
    cJSON_AddNumberToObject(root, "schema_version", OUTPUTS_SCHEMA_VERSION);
    summary_provenance(root, s, pv);
    return json_text_take(root);
}

char *outputs_summary_json(const scenario *s, const summary *sm, const dashboard *db, const provenance *pv)
{
    cJSON *root = cJSON_CreateObject();
    cJSON_AddNumberToObject(root, "schema_version", OUTPUTS_SCHEMA_VERSION);
    summary_provenance(root, s, pv);
    cJSON_AddStringToObject(root, "scenario", s->name);
    cJSON_AddNumberToObject(root, "horizon_months", s->horizon);
    summary_costs(root, s);
    waterfall_json(root, s, sm);
    if (db)
        dashboard_json(root, s, db);
    if (sm->unc)
        uncertain_json(root, s, sm);
    if (sm->fin)
        finance_json(root, s, sm);
    cJSON *plans = cJSON_AddArrayToObject(root, "plans");
    for (int p = 0; p < sm->nplans; p++)
        cJSON_AddItemToArray(plans, summary_plan(s, sm, p));
    planswitch_json(root, s, sm);
    menu_json(root, s, sm);
    return json_text_take(root);
}

int outputs_write(const char *dir, const scenario *s, const run_result *r, const summary *sm, const dashboard *db,
                  const provenance *pv, ts_error *err)
{
    int rc = ts_dir_make(dir, err);
    if (rc)
        return rc;
    enum { NFILES = 9 };
    struct { const char *name; char *data; size_t len; } files[NFILES] = {
        { "monthly.csv", NULL, 0 }, { "segments.csv", NULL, 0 }, { "replications.csv", NULL, 0 },
        { "summary.json", NULL, 0 }, { "metrics.csv", NULL, 0 }, { "provenance.json", NULL, 0 },
        { "cohorts.csv", NULL, 0 }, { "unit_economics.csv", NULL, 0 }, { "inputs.csv", NULL, 0 }
    };
    /* cohorts and unit economics only with a finance: section, inputs.csv
     * only with uncertain inputs (packed after the first six) */
    int nfiles = sm->fin ? 8 : 6;
    if (r->inputs) {
        files[nfiles] = files[8];
        files[nfiles].data = uncertain_inputs_csv(s, r, &files[nfiles].len);
        nfiles++;
    }
    files[0].data = monthly_csv(s, sm, &files[0].len);
    files[1].data = segments_csv(s, sm, &files[1].len);
    files[2].data = replications_csv(s, r, &files[2].len);
    files[3].data = outputs_summary_json(s, sm, db, pv);
    if (files[3].data)
        files[3].len = strlen(files[3].data);
    files[4].data = metrics_csv(s, sm, &files[4].len);
    files[5].data = provenance_json(s, pv);
    if (files[5].data)
        files[5].len = strlen(files[5].data);
    if (sm->fin) {
        files[6].data = finance_cohorts_csv(s, sm, &files[6].len);
        files[7].data = finance_unit_csv(s, sm, &files[7].len);
    }
    for (int i = 0; i < nfiles && rc == TS_OK; i++) {
        if (!files[i].data) {
            rc = ts_error_set(err, TS_ERR_RUNTIME, NULL, 0, 0, "out of memory writing %s", files[i].name);
            break;
        }
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, files[i].name);
        rc = ts_file_write(path, files[i].data, files[i].len, err);
    }
    for (int i = 0; i < NFILES; i++)
        free(files[i].data);
    if (rc == TS_OK && sm->declined) {
        size_t len = 0;
        char *menu = menu_csv(s, sm, &len), path[4096];
        snprintf(path, sizeof path, "%s/menu.csv", dir);
        rc = menu ? ts_file_write(path, menu, len, err)
                  : ts_error_set(err, TS_ERR_RUNTIME, NULL, 0, 0, "out of memory writing menu.csv");
        free(menu);
    }
    return rc;
}
