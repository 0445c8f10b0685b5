/* survey.c: a price survey's CSV file read through sim/data's table reader,
 * its kind told from the header, and its figures computed with
 * models/wtp_survey.h. Every value keeps its line and column, so the
 * model's checks (curves that go the wrong way, shares outside [0, 1])
 * point at the field in the file. */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "survey.h"
#include "sim/data/reader.h"
#include "sim/scenario/schema.h"

const char *const survey_kind_names[] = { "van westendorp answers", "van westendorp curves",
                                          "gabor-granger shares", "gabor-granger counts" };

enum { C_PRICE, C_TOO_CHEAP, C_CHEAP, C_EXPENSIVE, C_TOO_EXPENSIVE, C_WEIGHT, C_SHARE, C_ASKED, C_BOUGHT, C_COUNT };
static const char *const col_names[C_COUNT] = { "price", "too_cheap", "cheap", "expensive", "too_expensive",
                                                "weight", "share", "asked", "bought" };

typedef struct reading {
    const char *path;
    survey_result *r;
    int kind;                      /* -1 until the header is read */
    int col[C_COUNT];              /* field index of each column, -1 */
    size_t n, cap;                 /* rows kept */
    double (*v)[WTP_FIELDS];       /* VW answers: weight, 4 answers; else price, 4 shares or share */
    int (*line)[WTP_FIELDS], (*column)[WTP_FIELDS];
} reading;

/* "Too Cheap", "too-cheap" -> "too_cheap" */
static void normalise(const char *s, char *out, size_t n)
{
    while (isspace((unsigned char)*s))
        s++;
    size_t k = 0;
    for (; *s && k + 1 < n; s++)
        out[k++] = *s == ' ' || *s == '-' ? '_' : (char)tolower((unsigned char)*s);
    while (k > 0 && out[k - 1] == '_')
        k--;
    out[k] = 0;
}

static int header(reading *rd, const data_row *row, ts_error *e)
{
    for (int c = 0; c < C_COUNT; c++)
        rd->col[c] = -1;
    int at = 1;                    /* the name's column on line 1 (unquoted names) */
    for (int k = 0; k < row->ncols; at += (int)strlen(row->names[k]) + 1, k++) {
        char name[64];
        normalise(row->names[k], name, sizeof name);
        int best = -1, bd = 99;
        for (int c = 0; c < C_COUNT; c++) {
            int d = schema_distance(name, col_names[c]);
            if (d < bd) {
                bd = d;
                best = c;
            }
        }
        if (bd == 0 && rd->col[best] < 0)
            rd->col[best] = k;
        else if (bd == 0)
            return ts_error_set(e, TS_ERR_INPUT, rd->path, 1, at, "column '%s' appears twice: expected each once",
                                col_names[best]);
        else if (bd <= 2 && strlen(name) > 3)
            return ts_error_set(e, TS_ERR_INPUT, rd->path, 1, at, "unknown column '%s' (did you mean '%s'?)",
                                row->names[k], col_names[best]);
    }
    const int *c = rd->col;
    bool vw = c[C_TOO_CHEAP] >= 0 && c[C_CHEAP] >= 0 && c[C_EXPENSIVE] >= 0 && c[C_TOO_EXPENSIVE] >= 0;
    if (vw)
        rd->kind = c[C_PRICE] >= 0 ? SURVEY_VW_CURVES : SURVEY_VW_ANSWERS;
    else if (c[C_PRICE] >= 0 && c[C_SHARE] >= 0)
        rd->kind = SURVEY_GG_SHARES;
    else if (c[C_PRICE] >= 0 && c[C_ASKED] >= 0 && c[C_BOUGHT] >= 0)
        rd->kind = SURVEY_GG_COUNTS;
    else
        return ts_error_set(e, TS_ERR_INPUT, rd->path, 1, 1,
                            "cannot tell the kind of survey from the header: expected the columns too_cheap, "
                            "cheap, expensive, too_expensive (Van Westendorp answers, with an optional weight, or "
                            "curves with price), or price, share or price, asked, bought (Gabor-Granger)");
    if (rd->kind != SURVEY_VW_ANSWERS && c[C_WEIGHT] >= 0)
        return ts_error_set(e, TS_ERR_INPUT, rd->path, 1, 1,
                            "column 'weight' goes with Van Westendorp answers (one respondent a row), not with %s",
                            survey_kind_names[rd->kind]);
    return TS_OK;
}

/* Field `col` of row as a number, or NAN with e set. */
static double number(reading *rd, const data_row *row, int col, int *line, int *column, ts_error *e)
{
    int k = rd->col[col];
    *line = (int)row->line;
    *column = k < row->nfields ? row->column[k] : 1;
    if (k >= row->nfields) {
        ts_error_set(e, TS_ERR_INPUT, rd->path, *line, *column,
                     "missing field: the row has %d fields, column '%s' is field %d", row->nfields, col_names[col],
                     k + 1);
        return NAN;
    }
    const char *s = row->field[k];
    char *end;
    double x = strtod(s, &end);
    while (isspace((unsigned char)*end))
        end++;
    if (end == s || *end || !isfinite(x)) {
        ts_error_set(e, TS_ERR_INPUT, rd->path, *line, *column, "%s '%s' is not a number", col_names[col], s);
        return NAN;
    }
    return x;
}

static int grow(reading *rd, ts_error *e)
{
    if (rd->n < rd->cap)
        return TS_OK;
    size_t nc = rd->cap ? 2 * rd->cap : 256;
    void *v = realloc(rd->v, nc * sizeof *rd->v);
    if (v)
        rd->v = v;
    void *l = v ? realloc(rd->line, nc * sizeof *rd->line) : NULL;
    if (l)
        rd->line = l;
    void *c = l ? realloc(rd->column, nc * sizeof *rd->column) : NULL;
    if (!c)
        return ts_error_set(e, TS_ERR_RUNTIME, NULL, 0, 0, "out of memory reading '%s'", rd->path);
    rd->column = c;
    rd->cap = nc;
    return TS_OK;
}

static int on_row(void *ctx, const data_row *row, ts_error *e)
{
    reading *rd = ctx;
    if (rd->kind < 0 && header(rd, row, e))
        return e->code;
    if (grow(rd, e))
        return e->code;
    size_t i = rd->n;
    double *v = rd->v[i];
    int *ln = rd->line[i], *cl = rd->column[i];
    static const int vw_cols[5] = { C_PRICE, C_TOO_CHEAP, C_CHEAP, C_EXPENSIVE, C_TOO_EXPENSIVE };
    switch (rd->kind) {
    case SURVEY_VW_ANSWERS:
        v[0] = 1;
        ln[0] = (int)row->line;
        cl[0] = 1;
        if (rd->col[C_WEIGHT] >= 0)
            v[0] = number(rd, row, C_WEIGHT, &ln[0], &cl[0], e);
        for (int f = 1; f < 5; f++)
            v[f] = number(rd, row, vw_cols[f], &ln[f], &cl[f], e);
        break;
    case SURVEY_VW_CURVES:
        for (int f = 0; f < 5; f++)
            v[f] = number(rd, row, vw_cols[f], &ln[f], &cl[f], e);
        break;
    case SURVEY_GG_SHARES:
        v[0] = number(rd, row, C_PRICE, &ln[0], &cl[0], e);
        v[1] = number(rd, row, C_SHARE, &ln[1], &cl[1], e);
        v[2] = v[3] = NAN;
        break;
    default: {
        int l2, c2;
        v[0] = number(rd, row, C_PRICE, &ln[0], &cl[0], e);
        v[2] = number(rd, row, C_ASKED, &l2, &c2, e);
        v[3] = number(rd, row, C_BOUGHT, &ln[1], &cl[1], e);
        if (!e->code && !(v[2] > 0))
            return ts_error_set(e, TS_ERR_INPUT, rd->path, l2, c2, "asked %g at price %g: expected a count above 0",
                                v[2], v[0]);
        if (!e->code && !(v[3] >= 0 && v[3] <= v[2]))
            return ts_error_set(e, TS_ERR_INPUT, rd->path, ln[1], cl[1],
                                "bought %g at price %g of %g asked: expected a count from 0 to the number asked",
                                v[3], v[0], v[2]);
        v[1] = v[3] / v[2];
    }
    }
    if (e->code)
        return e->code;
    rd->n++;
    if (rd->kind != SURVEY_VW_ANSWERS && rd->n > WTP_CURVE_MAX)
        return ts_error_set(e, TS_ERR_INPUT, rd->path, (int)row->line, 1,
                            "too many prices: expected at most %d rows of %s", WTP_CURVE_MAX,
                            survey_kind_names[rd->kind]);
    return TS_OK;
}

/* The figures, from the rows read. */
static int compute(reading *rd, survey_result *r, ts_error *e)
{
    int n = (int)rd->n;
    wtp_loc loc = { rd->path, (const int (*)[WTP_FIELDS])rd->line, (const int (*)[WTP_FIELDS])rd->column };
    if (r->kind == SURVEY_VW_ANSWERS) {
        double(*a)[4] = malloc((rd->n ? rd->n : 1) * sizeof *a);
        double *w = malloc((rd->n ? rd->n : 1) * sizeof *w);
        int rc = a && w ? TS_OK : ts_error_set(e, TS_ERR_RUNTIME, NULL, 0, 0, "out of memory");
        for (size_t i = 0; rc == TS_OK && i < rd->n; i++) {
            w[i] = rd->v[i][0];
            for (int j = 0; j < 4; j++)
                a[i][j] = rd->v[i][j + 1];
        }
        if (rc == TS_OK)
            rc = wtp_vw_from_answers(&r->vw, (const double (*)[4])a, w, rd->n, &loc, e);
        free(a);
        free(w);
        if (rc)
            return rc;
    } else if (r->kind == SURVEY_VW_CURVES) {
        double c[5][WTP_CURVE_MAX];
        for (int i = 0; i < n; i++)
            for (int f = 0; f < 5; f++)
                c[f][i] = rd->v[i][f];
        if (wtp_vw_from_curves(&r->vw, c[0], c[1], c[2], c[3], c[4], n, &loc, e))
            return e->code;
    } else {
        r->n = n;
        for (int i = 0; i < n; i++) {
            r->price[i] = rd->v[i][0];
            r->share[i] = rd->v[i][1];
            r->asked[i] = rd->v[i][2];
            r->bought[i] = rd->v[i][3];
        }
        if (wtp_gg_curve(&r->wtp, r->price, r->share, n, &loc, e))
            return e->code;
    }
    if (SURVEY_IS_VW(r->kind)) {
        wtp_vw_figures(&r->vw, &r->pts);
        if (wtp_vw_curve(&r->vw, &r->wtp, e))
            return e->code;
    }
    r->mean_wtp = wtp_curve_mean(&r->wtp);
    r->median_wtp = wtp_curve_quantile(&r->wtp, 0.5);
    wtp_curve_best_price(&r->wtp, &r->best_price, &r->best_share, &r->best_revenue);
    return TS_OK;
}

int survey_read(const char *path, survey_result *r, ts_error *e)
{
    memset(r, 0, sizeof *r);
    reading rd = { .path = path, .r = r, .kind = -1 };
    int rc = data_read_table(path, on_row, &rd, e);
    r->kind = rd.kind;
    r->rows = (long)rd.n;
    if (rc == TS_OK && rd.n == 0)
        rc = ts_error_set(e, TS_ERR_INPUT, path, 0, 0, "no rows after the header: expected a survey's rows");
    if (rc == TS_OK)
        rc = compute(&rd, r, e);
    free(rd.v);
    free(rd.line);
    free(rd.column);
    return rc;
}
