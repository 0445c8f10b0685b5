/* outputs.c: the files a run leaves behind, each built in memory and then
 * written atomically (fileio.c). */
#include <cjson/cJSON.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "sim/core/fileio.h"
#include "sim/engine/tail.h"
#include "report.h"
#include "waterfall.h"
#include "dashboard.h"

const char *outputs_tail_warning(const provenance *pv, char *buf, size_t n)
{
    if (!pv->tail || !pv->tail->heavy)
        return NULL;
    tail_describe(pv->tail, buf, n);
    return buf;
}

static void tail_comment(FILE *f, const provenance *pv)
{
    char w[768];
    if (outputs_tail_warning(pv, w, sizeof w))
        fprintf(f, "# warning: %s\n", w);
}

static void provenance_comment(FILE *f, const scenario *s, const provenance *pv)
{
    fprintf(f, "# tokensim %s; scenario %s; resolved hash %016llx; seed %llu; ", pv->version, pv->scenario_file,
            (unsigned long long)pv->hash, (unsigned long long)pv->seed);
    if (pv->single)
        fprintf(f, "replication %d alone", pv->first + 1);
    else
        fprintf(f, "replications %d", pv->replications);
    fprintf(f, "; prices of %s\n", s->prices.date);
    tail_comment(f, pv);
}

void outputs_provenance_line(FILE *f, const provenance *pv, const char *note_fmt, ...)
{
    fprintf(f, "# tokensim %s; scenario %s; hash %016llx; seed %llu; replications %d; ", pv->version,
            pv->scenario_file, (unsigned long long)pv->hash, (unsigned long long)pv->seed, pv->replications);
    va_list ap;
    va_start(ap, note_fmt);
    vfprintf(f, note_fmt, ap);
    va_end(ap);
    fputc('\n', f);
    tail_comment(f, pv);
}

cJSON *outputs_provenance_json(cJSON *root, const provenance *pv)
{
    char hash[24], seed[24];
    snprintf(hash, sizeof hash, "%016llx", (unsigned long long)pv->hash);
    snprintf(seed, sizeof seed, "%llu", (unsigned long long)pv->seed);
    cJSON *prov = cJSON_AddObjectToObject(root, "provenance");
    cJSON_AddStringToObject(prov, "tokensim_version", pv->version);
    cJSON_AddStringToObject(prov, "scenario_file", pv->scenario_file);
    cJSON_AddStringToObject(prov, "scenario_hash", hash);
    cJSON_AddStringToObject(prov, "seed", seed);
    cJSON_AddNumberToObject(prov, "replications", pv->replications);
    char w[768];
    if (outputs_tail_warning(pv, w, sizeof w)) {
        const tail_report *t = pv->tail;
        cJSON *o = cJSON_AddObjectToObject(prov, "heavy_tail");
        cJSON_AddStringToObject(o, "warning", w);
        outputs_json_number(o, "top_0_1pct_usage_share", t->top_share);
        outputs_json_number(o, "replications_skewness", t->skew);
        if (t->infinite)
            cJSON_AddNullToObject(o, "replications_needed");
        else
            cJSON_AddNumberToObject(o, "replications_needed", t->needed);
    }
    return prov;
}

void outputs_csv_number(FILE *f, double v)
{
    if (isfinite(v))
        fprintf(f, ",%.10g", v);
    else
        fputs(",", f);
}

void outputs_json_number(cJSON *o, const char *key, double v)
{
    if (isfinite(v))
        cJSON_AddNumberToObject(o, key, v);
    else
        cJSON_AddNullToObject(o, key);
}

static void csv_text(FILE *f, const char *t)
{
    fputc('"', f);
    for (; *t; t++) {
        if (*t == '"')
            fputc('"', f);
        fputc(*t, f);
    }
    fputc('"', f);
}

static void csv_stat(FILE *f, const ts_stat *st)
{
    outputs_csv_number(f, st->mean);
    outputs_csv_number(f, st->se);
    outputs_csv_number(f, st->p5);
    outputs_csv_number(f, st->p50);
    outputs_csv_number(f, st->p95);
}

static char *monthly_csv(const scenario *s, const summary *sm, const provenance *pv, size_t *len)
{
    char *buf = NULL;
    FILE *f = open_memstream(&buf, len);
    if (!f)
        return NULL;
    provenance_comment(f, s, pv);
    fputs("plan,month", f);
    for (int k = 0; k < MET_COUNT; k++)
        fprintf(f, ",%s_mean,%s_se,%s_p5,%s_p50,%s_p95", metric_names[k], metric_names[k], metric_names[k],
                metric_names[k], metric_names[k]);
    fputc('\n', f);
    for (int p = 0; p < sm->nplans; p++)
        for (int m = 0; m < sm->nmonths; m++) {
            csv_text(f, s->plans[p].name);
            fprintf(f, ",%d", m + 1);
            for (int k = 0; k < MET_COUNT; k++)
                csv_stat(f, sum_month(sm, p, m, k));
            fputc('\n', f);
        }
    fclose(f);
    return buf;
}

static char *segments_csv(const scenario *s, const summary *sm, const provenance *pv, size_t *len)
{
    char *buf = NULL;
    FILE *f = open_memstream(&buf, len);
    if (!f)
        return NULL;
    provenance_comment(f, s, pv);
    fputs("plan,segment", f);
    for (int k = 0; k < SX_COUNT; k++)
        fprintf(f, ",%s_mean,%s_se,%s_p5,%s_p50,%s_p95", segment_stat_names[k], segment_stat_names[k],
                segment_stat_names[k], segment_stat_names[k], segment_stat_names[k]);
    fputc('\n', f);
    for (int p = 0; p < sm->nplans; p++)
        for (int g = 0; g < sm->nsegments; g++) {
            csv_text(f, s->plans[p].name);
            fputc(',', f);
            csv_text(f, usage_dist_segment_name(&s->usage, g));
            for (int k = 0; k < SX_COUNT; k++)
                csv_stat(f, sum_seg(sm, p, g, k));
            fputc('\n', f);
        }
    fclose(f);
    return buf;
}

static char *replications_csv(const scenario *s, const run_result *r, const provenance *pv, size_t *len)
{
    char *buf = NULL;
    FILE *f = open_memstream(&buf, len);
    if (!f)
        return NULL;
    provenance_comment(f, s, pv);
    fputs("plan,replication,month", f);
    for (int k = 0; k < MET_COUNT; k++)
        fprintf(f, ",%s", metric_names[k]);
    fputc('\n', f);
    for (int p = 0; p < r->nplans; p++)
        for (int i = 0; i < r->nreps; i++)
            for (int m = 0; m < r->nmonths; m++) {
                csv_text(f, s->plans[p].name);
                fprintf(f, ",%d,%d", r->first + i + 1, m + 1);
                const double *mm = run_month(r, i, p, m);
                for (int k = 0; k < MET_COUNT; k++)
                    outputs_csv_number(f, mm[k]);
                fputc('\n', f);
            }
    fclose(f);
    return buf;
}

static cJSON *json_stat(const ts_stat *st)
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

char *outputs_summary_json(const scenario *s, const summary *sm, const dashboard *db, const provenance *pv)
{
    cJSON *root = cJSON_CreateObject();
    cJSON *prov = outputs_provenance_json(root, pv);
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
    cJSON_AddStringToObject(root, "scenario", s->name);
    cJSON_AddNumberToObject(root, "horizon_months", s->horizon);

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

    waterfall_json(root, s, sm);
    if (db)
        dashboard_json(root, s, db);
    cJSON *plans = cJSON_AddArrayToObject(root, "plans");
    for (int p = 0; p < sm->nplans; p++) {
        const plan *pl = &s->plans[p];
        cJSON *po = cJSON_CreateObject();
        cJSON_AddStringToObject(po, "name", pl->name);
        cJSON_AddStringToObject(po, "type", plan_kind_name(pl->kind));
        cJSON_AddNumberToObject(po, "price", pl->price);
        cJSON_AddNumberToObject(po, "target_margin_pct", 100 * pl->target_margin);
        cJSON *tot = cJSON_AddObjectToObject(po, "totals");
        for (int k = 0; k < TOT_COUNT; k++)
            cJSON_AddItemToObject(tot, total_names[k], json_stat(sum_total(sm, p, k)));
        cJSON_AddNumberToObject(po, "prob_margin_below_50", sm->p_margin_below_50[p]);
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
        cJSON_AddItemToArray(plans, po);
    }
    char *text = cJSON_Print(root);
    cJSON_Delete(root);
    return text;
}

int outputs_write(const char *dir, const scenario *s, const run_result *r, const summary *sm, const dashboard *db,
                  const provenance *pv, ts_error *err)
{
    int rc = ts_dir_make(dir, err);
    if (rc)
        return rc;
    struct { const char *name; char *data; size_t len; } files[4] = {
        { "monthly.csv", NULL, 0 }, { "segments.csv", NULL, 0 }, { "replications.csv", NULL, 0 },
        { "summary.json", NULL, 0 }
    };
    files[0].data = monthly_csv(s, sm, pv, &files[0].len);
    files[1].data = segments_csv(s, sm, pv, &files[1].len);
    files[2].data = replications_csv(s, r, pv, &files[2].len);
    files[3].data = outputs_summary_json(s, sm, db, pv);
    if (files[3].data)
        files[3].len = strlen(files[3].data);
    for (int i = 0; i < 4 && rc == TS_OK; i++) {
        if (!files[i].data) {
            rc = ts_error_set(err, TS_ERR_RUNTIME, NULL, 0, 0, "out of memory writing %s", files[i].name);
            break;
        }
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, files[i].name);
        rc = ts_file_write(path, files[i].data, files[i].len, err);
    }
    for (int i = 0; i < 4; i++)
        free(files[i].data);
    return rc;
}
