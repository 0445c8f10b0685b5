/* survey.h: `tokensim survey FILE.csv`: a price survey read from a CSV
 * file, its kind told from the header, and its figures: the Van Westendorp
 * points and range with the WTP law they imply, or the Gabor-Granger demand
 * curve and its revenue-maximising price (models/wtp_survey.h holds the
 * math). survey_out.c writes the table, survey.csv, summary.json and the
 * plots. Columns (case and spaces ignored), docs/pricing.md:
 *   too_cheap, cheap, expensive, too_expensive [, weight]   answers, a row each
 *   price, too_cheap, cheap, expensive, too_expensive       the four curves
 *   price, share | price, asked, bought                     Gabor-Granger */
#ifndef TS_ANALYSIS_SURVEY_H
#define TS_ANALYSIS_SURVEY_H

#include <stdio.h>

#include "models/wtp_survey.h"
#include "plots/plots.h"
#include "sim/core/error.h"

enum survey_kind { SURVEY_VW_ANSWERS, SURVEY_VW_CURVES, SURVEY_GG_SHARES, SURVEY_GG_COUNTS };

/* "van westendorp answers", ... in enum order, and whether a kind is Van
 * Westendorp's. */
extern const char *const survey_kind_names[];
#define SURVEY_IS_VW(k) ((k) <= SURVEY_VW_CURVES)

typedef struct survey_result {
    int kind;                      /* enum survey_kind */
    long rows;                     /* data rows read */
    /* Van Westendorp */
    wtp_vw vw;
    wtp_vw_points pts;
    /* Gabor-Granger: the points as given (asked and bought NAN for shares) */
    int n;
    double price[WTP_CURVE_MAX], share[WTP_CURVE_MAX], asked[WTP_CURVE_MAX], bought[WTP_CURVE_MAX];
    /* the WTP law: 1 - too_expensive (VW), the demand curve (GG) */
    wtp_curve wtp;
    double mean_wtp, median_wtp;
    double best_price, best_share, best_revenue;   /* argmax p S(p) */
} survey_result;

/* Reads path and fills r. TS_ERR_INPUT, located at the file's line and
 * column, for a header that names no survey, a field that is not a number,
 * and every check of models/wtp_survey.h; TS_ERR_RUNTIME when the file
 * cannot be read. */
int survey_read(const char *path, survey_result *r, ts_error *e);

/* The table. */
void survey_print(FILE *out, const survey_result *r, const char *path);

/* survey.csv and summary.json as text (caller frees); NULL when out of memory. */
char *survey_csv(const survey_result *r);
char *survey_json(const survey_result *r, const char *path, const char *version);

/* Writes and renders the plot (survey_vw or survey_gg) under o->dir/plots. */
int survey_plots_write(const survey_result *r, const char *path, const char *version, const plot_opts *o,
                       plot_report *rep, ts_error *err);

#endif
