/* token_spread.c: the spread of a call's tokens and the expected price of
 * a call under it (formulas in token_spread.h). The empirical law's data is
 * a CSV of requests read through libcsv, two of whose columns (named by the
 * scenario) give each request's input and output tokens: the same file
 * `tokensim fit` reads, e.g. a request trace or a LiteLLM spend-log export. */
#include "token_spread.h"

#include <csv.h>
#include <errno.h>
#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sim/core/fileio.h"

const char *const token_law_names[] = { "fixed", "lognormal", "empirical", NULL };

typedef struct token_table {
    struct token_table *next;
    char path[TOKEN_PATH_LEN], in_col[TOKEN_COLUMN_LEN], out_col[TOKEN_COLUMN_LEN];
    size_t n;
    double *x, *y;               /* input and output tokens of each request */
    double mx, my;               /* their means */
} token_table;

static token_table *tables;

bool token_spread_active(const token_spread *ts)
{
    return ts->law != TOKEN_FIXED || ts->max_output > 0;
}

/* ---- the expectation ---- */

static double cut(double y, double limit)
{
    return limit > 0 && y > limit ? limit : y;
}

static token_expect fixed(const token_prices *p, double tin, double tout, double limit)
{
    bool lng = p->above > 0 && tin > p->above;
    double o = cut(tout, limit);
    return (token_expect){ tin * (lng ? p->in_long : p->in_short), o * (lng ? p->out_long : p->out_short), o };
}

/* E[min(O, L)] for O lognormal of mean m and log-sd s */
static double lognormal_cut_mean(double m, double s, double limit)
{
    if (!(limit > 0))
        return m;
    double mu = log(m) - s * s / 2, z = log(limit);
    return m * gsl_cdf_ugaussian_P((z - mu - s * s) / s) + limit * gsl_cdf_ugaussian_Q((z - mu) / s);
}

static token_expect lognormal(const token_spread *ts, const token_prices *p, double tin, double tout)
{
    double si = ts->input_sigma, so = ts->output_sigma;
    double low = 1, in_low = tin;         /* P(I <= a) and E[I; I <= a] */
    if (p->above > 0 && si > 0 && tin > 0) {
        double mu = log(tin) - si * si / 2, z = log(p->above);
        low = gsl_cdf_ugaussian_P((z - mu) / si);
        in_low = tin * gsl_cdf_ugaussian_P((z - mu - si * si) / si);
    } else if (p->above > 0 && tin > p->above) {
        low = 0;
        in_low = 0;
    }
    double o = tout > 0 && so > 0 ? lognormal_cut_mean(tout, so, ts->max_output) : cut(tout, ts->max_output);
    return (token_expect){ p->in_short * in_low + p->in_long * (tin - in_low),
                           o * (p->out_short * low + p->out_long * (1 - low)), o };
}

static token_expect empirical(const token_spread *ts, const token_prices *p, double tin, double tout)
{
    const token_table *t = ts->t;
    double bi = t->mx > 0 ? tin / t->mx : 0, bo = t->my > 0 ? tout / t->my : 0;
    token_expect e = { 0, 0, 0 };
    for (size_t k = 0; k < t->n; k++) {
        double x = bi * t->x[k], y = cut(bo * t->y[k], ts->max_output);
        bool lng = p->above > 0 && x > p->above;
        e.input += x * (lng ? p->in_long : p->in_short);
        e.output += y * (lng ? p->out_long : p->out_short);
        e.out_tokens += y;
    }
    double n = (double)t->n;
    return (token_expect){ e.input / n, e.output / n, e.out_tokens / n };
}

token_expect token_spread_expect(const token_spread *ts, const token_prices *p, double tin, double tout)
{
    switch (ts->law) {
    case TOKEN_LOGNORMAL:
        return lognormal(ts, p, tin, tout);
    case TOKEN_EMPIRICAL:
        if (ts->t && ts->t->n)
            return empirical(ts, p, tin, tout);
        break;
    default:
        break;
    }
    return fixed(p, tin, tout, ts->max_output);
}

/* ---- the empirical law's data ---- */

typedef struct reading {
    token_table *t;
    size_t cap, line, field;
    long in_at, out_at;          /* column indices, -1 until the header names them */
    double in, out;
    bool have_in, have_out;
    ts_error *err;
    int rc;
} reading;

static int fail(reading *r, int code, const char *fmt, const char *a, const char *b)
{
    if (r->rc == TS_OK)
        r->rc = ts_error_set(r->err, code, NULL, 0, 0, fmt, a, b, r->line + 1, r->t->path);
    return r->rc;
}

static void on_field(void *s, size_t len, void *ctx)
{
    reading *r = ctx;
    const char *f = s ? s : "";
    if (r->rc == TS_OK && r->line == 0) {
        if (len == strlen(r->t->in_col) && !strncmp(f, r->t->in_col, len))
            r->in_at = (long)r->field;
        if (len == strlen(r->t->out_col) && !strncmp(f, r->t->out_col, len))
            r->out_at = (long)r->field;
    } else if (r->rc == TS_OK && ((long)r->field == r->in_at || (long)r->field == r->out_at)) {
        char *end;
        errno = 0;
        double v = strtod(f, &end);
        if (end == f || *end || errno || !isfinite(v) || v < 0) {
            char shown[48];
            snprintf(shown, sizeof shown, "%.40s", f);
            fail(r, TS_ERR_INPUT, "found '%s' in column '%s' at line %zu of %s, expected a token count >= 0", shown,
                 (long)r->field == r->in_at ? r->t->in_col : r->t->out_col);
        } else if ((long)r->field == r->in_at) {
            r->in = v;
            r->have_in = true;
        } else {
            r->out = v;
            r->have_out = true;
        }
    }
    r->field++;
}

static void on_row(int c, void *ctx)
{
    (void)c;
    reading *r = ctx;
    if (r->rc == TS_OK && r->line == 0 && (r->in_at < 0 || r->out_at < 0))
        fail(r, TS_ERR_INPUT, "found no column '%s' in the header%s at line %zu of %s, expected the columns named "
             "by input_column and output_column", r->in_at < 0 ? r->t->in_col : r->t->out_col, "");
    else if (r->rc == TS_OK && r->line > 0) {
        if (!r->have_in || !r->have_out)
            fail(r, TS_ERR_INPUT, "found a row without '%s'%s at line %zu of %s, expected both token columns",
                 !r->have_in ? r->t->in_col : r->t->out_col, "");
        else if (r->t->n == r->cap) {
            size_t cap = r->cap ? 2 * r->cap : 1024;
            double *x = realloc(r->t->x, cap * sizeof *x);
            if (x)
                r->t->x = x;
            double *y = x ? realloc(r->t->y, cap * sizeof *y) : NULL;
            if (y)
                r->t->y = y;
            if (!x || !y)
                fail(r, TS_ERR_RUNTIME, "out of memory%s%s at line %zu of %s", "", "");
            else
                r->cap = cap;
        }
        if (r->rc == TS_OK) {
            r->t->x[r->t->n] = r->in;
            r->t->y[r->t->n++] = r->out;
        }
    }
    r->line++;
    r->field = 0;
    r->have_in = r->have_out = false;
}

static int table_read(token_table *t, ts_error *err)
{
    size_t len;
    char *buf = ts_file_read(t->path, &len);
    if (!buf)
        return ts_file_read_error(t->path, "token data", err);
    reading r = { .t = t, .in_at = -1, .out_at = -1, .err = err, .rc = TS_OK };
    struct csv_parser p;
    if (csv_init(&p, CSV_APPEND_NULL | CSV_EMPTY_IS_NULL) != 0) {
        free(buf);
        return ts_error_set(err, TS_ERR_RUNTIME, NULL, 0, 0, "out of memory reading %s", t->path);
    }
    if (csv_parse(&p, buf, len, on_field, on_row, &r) != len && r.rc == TS_OK)
        r.rc = ts_error_set(err, TS_ERR_INPUT, NULL, 0, 0, "found malformed CSV in %s: %s", t->path,
                            csv_strerror(csv_error(&p)));
    csv_fini(&p, on_field, on_row, &r);
    csv_free(&p);
    free(buf);
    if (r.rc == TS_OK && t->n == 0)
        r.rc = ts_error_set(err, TS_ERR_INPUT, NULL, 0, 0, "found no requests in %s, expected a header and a row "
                            "per request", t->path);
    for (size_t k = 0; k < t->n; k++) {
        t->mx += t->x[k] / (double)t->n;
        t->my += t->y[k] / (double)t->n;
    }
    return r.rc;
}

static int table_load(const token_spread *ts, const token_table **out, ts_error *err)
{
    for (const token_table *t = tables; t; t = t->next)
        if (!strcmp(t->path, ts->data) && !strcmp(t->in_col, ts->input_column)
            && !strcmp(t->out_col, ts->output_column)) {
            *out = t;
            return TS_OK;
        }
    token_table *t = calloc(1, sizeof *t);
    if (!t)
        return ts_error_set(err, TS_ERR_RUNTIME, NULL, 0, 0, "out of memory reading %s", ts->data);
    memcpy(t->path, ts->data, sizeof t->path);
    memcpy(t->in_col, ts->input_column, sizeof t->in_col);
    memcpy(t->out_col, ts->output_column, sizeof t->out_col);
    int rc = table_read(t, err);
    if (rc != TS_OK) {
        free(t->x);
        free(t->y);
        free(t);
        return rc;
    }
    t->next = tables;
    tables = t;
    *out = t;
    return TS_OK;
}

int token_spread_prepare(token_spread *ts, const char **what, ts_error *err)
{
    ts->t = NULL;
    if (ts->law == TOKEN_EMPIRICAL) {
        if (!ts->data[0]) {
            *what = "data";
            return ts_error_set(err, TS_ERR_INPUT, NULL, 0, 0, "found no data, expected a CSV of requests for the "
                                "empirical token law");
        }
        int rc = table_load(ts, &ts->t, err);
        if (rc)
            *what = "data";
        return rc;
    }
    if (ts->law == TOKEN_FIXED && (ts->input_sigma > 0 || ts->output_sigma > 0)) {
        *what = ts->input_sigma > 0 ? "input_sigma" : "output_sigma";
        return ts_error_set(err, TS_ERR_INPUT, NULL, 0, 0, "found a sigma with law 'fixed', expected law: lognormal");
    }
    return TS_OK;
}
