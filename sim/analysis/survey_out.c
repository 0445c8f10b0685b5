/* survey_out.c: what `tokensim survey` shows and writes (survey.h): the
 * table, survey.csv (the curves or points as read, with what follows from
 * them), summary.json and the Van Westendorp or Gabor-Granger chart. */
#include <cjson/cJSON.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "survey.h"
#include "sim/output/csv.h"
#include "sim/output/format.h"
#include "sim/output/json.h"

extern const char *const plot_template_survey_vw;
extern const char *const plot_template_survey_gg;

#define SURVEY_SCHEMA_VERSION 1

static const char *money(char *buf, size_t n, double v)
{
    return fmt_money(buf, n, v, 2);
}

static void print_vw(FILE *out, const survey_result *r)
{
    char a[32], b[32];
    const wtp_vw_points *p = &r->pts;
    const struct { const char *name; double v; const char *rule; } rows[4] = {
        { "point of marginal cheapness (PMC)", p->pmc, "too cheap = not cheap" },
        { "optimal price point (OPP)", p->opp, "too cheap = too expensive" },
        { "indifference price point (IPP)", p->ipp, "cheap = expensive" },
        { "point of marginal expensiveness (PME)", p->pme, "too expensive = not expensive" },
    };
    for (int k = 0; k < 4; k++)
        fprintf(out, "  %-38s %10s   %s%s\n", rows[k].name, money(a, sizeof a, rows[k].v), rows[k].rule,
                isfinite(rows[k].v) ? "" : " (the curves do not cross within the prices)");
    fprintf(out, "  %-38s %10s to %s\n", "range of acceptable prices", money(a, sizeof a, p->pmc),
            money(b, sizeof b, p->pme));
    fprintf(out, "\nWTP law: 1 - (expensive + too_expensive) / 2, each WTP between its 'expensive' and 'too "
                 "expensive' answers\n");
}

static void print_gg(FILE *out, const survey_result *r)
{
    bool counts = r->kind == SURVEY_GG_COUNTS;
    char a[32], b[32];
    fprintf(out, "  %10s %8s%s   %s\n", "price", "share", counts ? "   s.e.    asked   bought" : "",
            "revenue per potential customer");
    for (int i = 0; i < r->n; i++) {
        fprintf(out, "  %10s %7.1f%%", money(a, sizeof a, r->price[i]), 100 * r->share[i]);
        if (counts)
            fprintf(out, " %5.1f%% %8.0f %8.0f", 100 * sqrt(r->share[i] * (1 - r->share[i]) / r->asked[i]),
                    r->asked[i], r->bought[i]);
        fprintf(out, "   %s\n", money(b, sizeof b, r->price[i] * r->share[i]));
    }
    fprintf(out, "\ndemand curve: monotone cubic (Fritsch-Carlson) through the points\n");
}

void survey_print(FILE *out, const survey_result *r, const char *path)
{
    char a[32], b[32], c[32];
    fprintf(out, "tokensim survey: %s, %s, ", path, survey_kind_names[r->kind]);
    if (r->kind == SURVEY_VW_ANSWERS)
        fprintf(out, "%g respondents (%ld rows), %d prices\n\n", r->vw.respondents, r->rows, r->vw.n);
    else
        fprintf(out, "%d prices\n\n", SURVEY_IS_VW(r->kind) ? r->vw.n : r->n);
    if (SURVEY_IS_VW(r->kind))
        print_vw(out, r);
    else
        print_gg(out, r);
    fprintf(out, "  median WTP %s, mean WTP %s\n", money(a, sizeof a, r->median_wtp), money(b, sizeof b, r->mean_wtp));
    fprintf(out, "  revenue-maximising price %s: %.1f%% would buy, %s per potential customer\n",
            money(a, sizeof a, r->best_price), 100 * r->best_share, money(c, sizeof c, r->best_revenue));
}

char *survey_csv(const survey_result *r)
{
    csv_writer w;
    if (!csv_begin(&w))
        return NULL;
    if (SURVEY_IS_VW(r->kind)) {
        const char *h[] = { "price", "too_cheap", "cheap", "expensive", "too_expensive", "not_cheap",
                            "not_expensive", "wtp_survival" };
        for (size_t k = 0; k < sizeof h / sizeof *h; k++)
            csv_text(&w, h[k]);
        csv_row_end(&w);
        const wtp_vw *v = &r->vw;
        for (int i = 0; i < v->n; i++) {
            double row[8] = { v->price[i], v->too_cheap[i], v->cheap[i], v->expensive[i], v->too_expensive[i],
                              1 - v->cheap[i], 1 - v->expensive[i],
                              1 - (v->expensive[i] + v->too_expensive[i]) / 2 };
            for (int k = 0; k < 8; k++)
                csv_number(&w, row[k]);
            csv_row_end(&w);
        }
    } else {
        const char *h[] = { "price", "share", "asked", "bought", "revenue_per_customer" };
        for (size_t k = 0; k < sizeof h / sizeof *h; k++)
            csv_text(&w, h[k]);
        csv_row_end(&w);
        for (int i = 0; i < r->n; i++) {
            double row[5] = { r->price[i], r->share[i], r->asked[i], r->bought[i], r->price[i] * r->share[i] };
            for (int k = 0; k < 5; k++)
                csv_number(&w, row[k]);
            csv_row_end(&w);
        }
    }
    return csv_finish(&w, NULL);
}

char *survey_json(const survey_result *r, const char *path, const char *version)
{
    cJSON *root = cJSON_CreateObject();
    cJSON_AddNumberToObject(root, "schema_version", SURVEY_SCHEMA_VERSION);
    cJSON_AddStringToObject(root, "tokensim_version", version);
    cJSON_AddStringToObject(root, "source", path);
    cJSON_AddStringToObject(root, "kind", survey_kind_names[r->kind]);
    json_number_add(root, "rows", (double)r->rows);
    if (SURVEY_IS_VW(r->kind)) {
        if (r->kind == SURVEY_VW_ANSWERS)
            json_number_add(root, "respondents", r->vw.respondents);
        cJSON *p = cJSON_AddObjectToObject(root, "points");
        json_number_add(p, "pmc", r->pts.pmc);
        json_number_add(p, "opp", r->pts.opp);
        json_number_add(p, "ipp", r->pts.ipp);
        json_number_add(p, "pme", r->pts.pme);
        cJSON *rg = cJSON_AddObjectToObject(root, "acceptable_range");
        json_number_add(rg, "low", r->pts.pmc);
        json_number_add(rg, "high", r->pts.pme);
    } else {
        cJSON *pts = cJSON_AddArrayToObject(root, "points");
        for (int i = 0; i < r->n; i++) {
            cJSON *o = cJSON_CreateObject();
            json_number_add(o, "price", r->price[i]);
            json_number_add(o, "share", r->share[i]);
            if (r->kind == SURVEY_GG_COUNTS) {
                json_number_add(o, "asked", r->asked[i]);
                json_number_add(o, "bought", r->bought[i]);
            }
            json_number_add(o, "revenue_per_customer", r->price[i] * r->share[i]);
            cJSON_AddItemToArray(pts, o);
        }
    }
    cJSON *w = cJSON_AddObjectToObject(root, "wtp");
    cJSON_AddStringToObject(w, "law", SURVEY_IS_VW(r->kind) ? "1 - (expensive + too_expensive) / 2" : "demand curve");
    cJSON_AddStringToObject(w, "interpolation", r->wtp.interp == WTP_INTERP_MONOTONE ? "monotone cubic" : "linear");
    json_number_add(w, "median", r->median_wtp);
    json_number_add(w, "mean", r->mean_wtp);
    cJSON *b = cJSON_AddObjectToObject(root, "revenue_maximising");
    json_number_add(b, "price", r->best_price);
    json_number_add(b, "share", r->best_share);
    json_number_add(b, "revenue_per_customer", r->best_revenue);
    return json_text_take(root);
}

/* ---- plots ---------------------------------------------------------------- */

/* A crossing's height: f at x, linear between the prices. */
static double height(const wtp_vw *v, const double *f, bool flip, double x)
{
    int i = 0;
    while (i < v->n - 2 && x > v->price[i + 1])
        i++;
    double t = (x - v->price[i]) / (v->price[i + 1] - v->price[i]);
    double y = f[i] + (f[i + 1] - f[i]) * t;
    return flip ? 1 - y : y;
}

static void vw_body(FILE *f, const survey_result *r)
{
    const wtp_vw *v = &r->vw;
    fprintf(f, "$curves << EOD\n");
    for (int i = 0; i < v->n; i++)
        fprintf(f, "%.12g %.8g %.8g %.8g %.8g %.8g %.8g\n", v->price[i], v->too_cheap[i], v->cheap[i],
                v->expensive[i], v->too_expensive[i], 1 - v->cheap[i], 1 - v->expensive[i]);
    fprintf(f, "EOD\n$points << EOD\n");
    const struct { const char *name; double x, y; } pts[4] = {
        { "PMC", r->pts.pmc, isfinite(r->pts.pmc) ? height(v, v->too_cheap, false, r->pts.pmc) : NAN },
        { "OPP", r->pts.opp, isfinite(r->pts.opp) ? height(v, v->too_cheap, false, r->pts.opp) : NAN },
        { "IPP", r->pts.ipp, isfinite(r->pts.ipp) ? height(v, v->cheap, false, r->pts.ipp) : NAN },
        { "PME", r->pts.pme, isfinite(r->pts.pme) ? height(v, v->too_expensive, false, r->pts.pme) : NAN },
    };
    for (int k = 0; k < 4; k++)
        if (isfinite(pts[k].x))
            fprintf(f, "%.12g %.8g \"%s %.2f\"\n", pts[k].x, pts[k].y, pts[k].name, pts[k].x);
    fprintf(f, "EOD\nrange_lo = %.12g\nrange_hi = %.12g\n", isfinite(r->pts.pmc) ? r->pts.pmc : v->price[0],
            isfinite(r->pts.pme) ? r->pts.pme : v->price[0]);
}

static void gg_body(FILE *f, const survey_result *r)
{
    fprintf(f, "$points << EOD\n");
    for (int i = 0; i < r->n; i++)
        fprintf(f, "%.12g %.8g %.8g\n", r->price[i], r->share[i], r->price[i] * r->share[i]);
    fprintf(f, "EOD\n$curve << EOD\n");
    double lo = r->price[0], hi = r->price[r->n - 1];
    for (int k = 0; k <= 200; k++) {
        double p = lo + (hi - lo) * k / 200, s = wtp_curve_survival(&r->wtp, p);
        fprintf(f, "%.12g %.8g %.8g\n", p, s, p * s);
    }
    fprintf(f, "EOD\nbest_price = %.12g\nbest_revenue = %.12g\n", r->best_price, r->best_revenue);
}

int survey_plots_write(const survey_result *r, const char *path, const char *version, const plot_opts *o,
                       plot_report *rep, ts_error *err)
{
    memset(rep, 0, sizeof *rep);
    bool vw = SURVEY_IS_VW(r->kind);
    const char *name = vw ? "survey_vw" : "survey_gg";
    char *body = NULL, title[400], a[32], b[32];
    size_t len = 0;
    FILE *f = open_memstream(&body, &len);
    if (!f)
        return ts_error_set(err, TS_ERR_RUNTIME, NULL, 0, 0, "out of memory writing plots");
    provenance pv = { .version = version, .scenario_file = path };
    if (vw)
        snprintf(title, sizeof title, "%s: Van Westendorp, acceptable prices %s to %s", path,
                 money(a, sizeof a, r->pts.pmc), money(b, sizeof b, r->pts.pme));
    else
        snprintf(title, sizeof title, "%s: Gabor-Granger demand, revenue-maximising price %s", path,
                 money(a, sizeof a, r->best_price));
    plots_head(f, name, &pv, title);
    if (vw)
        vw_body(f, r);
    else
        gg_body(f, r);
    if (fclose(f) != 0) {
        free(body);
        return ts_error_set(err, TS_ERR_RUNTIME, NULL, 0, 0, "out of memory writing plots");
    }
    int rc = plots_emit(name, vw ? plot_template_survey_vw : plot_template_survey_gg, body, o, rep, err);
    free(body);
    return rc;
}
