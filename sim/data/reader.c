/* reader.c: CSV (through libcsv) and JSON-lines files as records.
 *
 * The file is cut into lines first, and libcsv fed one line at a time, so
 * every record knows the line it ends on (a quoted field may hold a newline;
 * then the record is named by its last line). Only the columns mapped to a
 * role are copied out of libcsv's buffer; the others are skipped as they
 * pass, which keeps the reading near the speed of the parser itself. */
#include <csv.h>
#include <cjson/cJSON.h>
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reader_internal.h"
#include "stream.h"

#define MAX_COLS 512

/* ---- lines ------------------------------------------------------------- */

typedef struct line_reader {
    data_stream *s;
    char *buf;
    size_t cap, start, end;
    bool eof;
    long line;               /* lines handed out so far */
} line_reader;

/* The next line without its LF (and CR); false at the end, or on an error
 * (then err->code is set). */
static bool next_line(line_reader *lr, const char **p, size_t *n, ts_error *err)
{
    for (;;) {
        char *nl = lr->end > lr->start ? memchr(lr->buf + lr->start, '\n', lr->end - lr->start) : NULL;
        if (nl || (lr->eof && lr->end > lr->start)) {
            size_t stop = nl ? (size_t)(nl - lr->buf) : lr->end;
            *p = lr->buf + lr->start;
            *n = stop - lr->start;
            if (*n && (*p)[*n - 1] == '\r')
                (*n)--;
            lr->start = nl ? stop + 1 : stop;
            lr->line++;
            return true;
        }
        if (lr->eof)
            return false;
        if (lr->start > 0) {
            memmove(lr->buf, lr->buf + lr->start, lr->end - lr->start);
            lr->end -= lr->start;
            lr->start = 0;
        }
        if (lr->end == lr->cap) {
            char *nb = realloc(lr->buf, lr->cap * 2);
            if (!nb) {
                ts_error_set(err, TS_ERR_RUNTIME, NULL, 0, 0, "out of memory reading a long line");
                return false;
            }
            lr->buf = nb;
            lr->cap *= 2;
        }
        long got = data_stream_read(lr->s, lr->buf + lr->end, lr->cap - lr->end, err);
        if (got < 0)
            return false;
        if (got == 0)
            lr->eof = true;
        lr->end += (size_t)got;
    }
}

/* ---- CSV --------------------------------------------------------------- */

typedef struct csv_ctx {
    int col;                 /* index of the next field in the row */
    bool header;             /* collecting every field as a name */
    char *names[MAX_COLS];
    int ncols;
    int role_of[MAX_COLS];   /* role of each column, -1 */
    char *val[ROLE_COUNT];
    size_t len[ROLE_COUNT], cap[ROLE_COUNT];
    bool seen[ROLE_COUNT];
    int rows_done;           /* complete rows waiting (0 or 1 per line fed) */
    int fields_in_row;
    int row_fields;          /* fields of the last complete row */
    bool oom;
} csv_ctx;

static void on_field(void *s, size_t len, void *data)
{
    csv_ctx *c = data;
    int k = c->col++;
    if (c->header) {
        if (k < MAX_COLS) {
            c->names[k] = strndup(s ? s : "", len);
            c->oom |= !c->names[k];
            c->ncols = k + 1;
        }
        return;
    }
    int r = k < c->ncols ? c->role_of[k] : -1;
    if (r < 0)
        return;
    if (len + 1 > c->cap[r]) {
        size_t nc = (len + 1) * 2;
        char *nb = realloc(c->val[r], nc);
        if (!nb) {
            c->oom = true;
            return;
        }
        c->val[r] = nb;
        c->cap[r] = nc;
    }
    if (len)
        memcpy(c->val[r], s, len);
    c->val[r][len] = 0;
    c->len[r] = len;
    c->seen[r] = true;
}

static void on_row(int ch, void *data)
{
    (void)ch;
    csv_ctx *c = data;
    c->row_fields = c->col;
    c->col = 0;
    c->rows_done++;
    if (c->header)
        c->header = false;
}

static bool is_number(const char *s)
{
    char *end;
    while (isspace((unsigned char)*s))
        s++;
    if (!*s)
        return false;
    strtod(s, &end);
    while (isspace((unsigned char)*end))
        end++;
    return !*end;
}

typedef struct reading {
    const char *path;
    const data_opts *o;
    data_record_fn fn;
    void *ctx;
    data_info *info;
    data_mapper m;
} reading;

/* Hands one complete row to the mapper and the caller. */
static int csv_emit(reading *rd, csv_ctx *c, long line, ts_error *err)
{
    const char *f[ROLE_COUNT];
    size_t n[ROLE_COUNT];
    for (int r = 0; r < ROLE_COUNT; r++) {
        f[r] = NULL;
        n[r] = 0;
        if (rd->m.col[r] < 0)
            continue;
        if (!c->seen[r])
            return ts_error_set(err, TS_ERR_INPUT, rd->path, (int)line, 1,
                                "missing field: the row has %d fields, column '%s' is field %d", c->row_fields,
                                rd->info->column[r], rd->m.col[r] + 1);
        f[r] = c->val[r];
        n[r] = c->len[r];
        c->seen[r] = false;
    }
    data_record rec;
    if (data_mapper_record(&rd->m, f, n, line, &rec, err))
        return err->code;
    rd->info->rows++;
    return rd->fn(rd->ctx, &rec, err);
}

static int read_csv(reading *rd, line_reader *lr, ts_error *err)
{
    struct csv_parser p;
    if (csv_init(&p, CSV_APPEND_NULL) != 0)
        return ts_error_set(err, TS_ERR_RUNTIME, NULL, 0, 0, "out of memory starting the CSV parser");
    csv_ctx *c = calloc(1, sizeof *c);
    if (!c) {
        csv_free(&p);
        return ts_error_set(err, TS_ERR_RUNTIME, NULL, 0, 0, "out of memory reading '%s'", rd->path);
    }
    c->header = true;
    int rc = TS_OK;
    bool mapped = false;
    const char *line;
    size_t n;
    while (rc == TS_OK && next_line(lr, &line, &n, err)) {
        if (!mapped && n == 0)
            continue;
        if (csv_parse(&p, line, n, on_field, on_row, c) != n || csv_parse(&p, "\n", 1, on_field, on_row, c) != 1) {
            rc = ts_error_set(err, TS_ERR_INPUT, rd->path, (int)lr->line, 1, "invalid CSV: %s",
                              csv_strerror(csv_error(&p)));
            break;
        }
        if (c->oom) {
            rc = ts_error_set(err, TS_ERR_RUNTIME, NULL, 0, 0, "out of memory reading '%s'", rd->path);
            break;
        }
        if (!c->rows_done)
            continue;           /* a quoted field goes on on the next line */
        c->rows_done = 0;
        if (!mapped) {
            mapped = true;
            for (int k = 0; k < MAX_COLS; k++)
                c->role_of[k] = -1;
            bool values = c->ncols == 1 && is_number(c->names[0]) && (!rd->o->preset || !strcmp(rd->o->preset,
                                                                                            "values"));
            if (values)
                data_mapper_values(&rd->m, rd->path, rd->info);
            else if (data_mapper_init(&rd->m, (const char *const *)c->names, c->ncols, rd->o, rd->path, rd->info,
                                      err)) {
                rc = err->code;
                break;
            }
            for (int r = 0; r < ROLE_COUNT; r++)
                if (rd->m.col[r] >= 0)
                    c->role_of[rd->m.col[r]] = r;
            if (values) {
                /* the first line was data: hand it on */
                size_t l = strlen(c->names[0]);
                c->val[ROLE_VALUE] = malloc(l + 1);
                if (!c->val[ROLE_VALUE]) {
                    rc = ts_error_set(err, TS_ERR_RUNTIME, NULL, 0, 0, "out of memory");
                    break;
                }
                memcpy(c->val[ROLE_VALUE], c->names[0], l + 1);
                c->cap[ROLE_VALUE] = l + 1;
                c->len[ROLE_VALUE] = l;
                c->seen[ROLE_VALUE] = true;
                c->row_fields = 1;
                rc = csv_emit(rd, c, lr->line, err);
            }
            continue;
        }
        rd->m.text = line;
        rd->m.text_len = n;
        rc = csv_emit(rd, c, lr->line, err);
    }
    if (rc == TS_OK && err->code)
        rc = err->code;
    if (rc == TS_OK && !mapped)
        rc = ts_error_set(err, TS_ERR_INPUT, rd->path, 0, 0, "empty file: expected a header and rows");
    if (rc == TS_OK && (p.pstate != 0 || c->col > 0))   /* the file ended inside a quoted field */
        rc = ts_error_set(err, TS_ERR_INPUT, rd->path, (int)lr->line, 1,
                          "invalid CSV: the file ends inside a quoted field");
    csv_free(&p);
    for (int k = 0; k < c->ncols; k++)
        free(c->names[k]);
    for (int r = 0; r < ROLE_COUNT; r++)
        free(c->val[r]);
    free(c);
    return rc;
}

/* ---- JSON lines -------------------------------------------------------- */

static int read_jsonl(reading *rd, line_reader *lr, ts_error *err)
{
    char *names[MAX_COLS];
    int ncols = 0, rc = TS_OK;
    bool mapped = false;
    char num[ROLE_COUNT][40];
    const char *line;
    size_t n;
    while (rc == TS_OK && next_line(lr, &line, &n, err)) {
        size_t k = 0;
        while (k < n && isspace((unsigned char)line[k]))
            k++;
        if (k == n)
            continue;
        cJSON *o = cJSON_ParseWithLength(line, n);
        if (!o || !cJSON_IsObject(o)) {
            cJSON_Delete(o);
            rc = ts_error_set(err, TS_ERR_INPUT, rd->path, (int)lr->line, 1,
                              "invalid JSON line: expected one object per line");
            break;
        }
        if (!mapped) {
            for (cJSON *it = o->child; it && ncols < MAX_COLS; it = it->next)
                names[ncols++] = it->string;
            mapped = true;
            rc = data_mapper_init(&rd->m, (const char *const *)names, ncols, rd->o, rd->path, rd->info, err);
            rd->m.jsonl = true;
            /* the names belong to o: keep the columns, which the info has copied */
        }
        const char *f[ROLE_COUNT];
        size_t fl[ROLE_COUNT];
        for (int r = 0; r < ROLE_COUNT && rc == TS_OK; r++) {
            f[r] = NULL;
            fl[r] = 0;
            if (rd->m.col[r] < 0)
                continue;
            cJSON *it = cJSON_GetObjectItemCaseSensitive(o, rd->info->column[r]);
            if (cJSON_IsString(it))
                f[r] = it->valuestring;
            else if (cJSON_IsNumber(it))
                snprintf(num[r], sizeof num[r], "%.17g", it->valuedouble), f[r] = num[r];
            else if (it && !cJSON_IsNull(it))
                f[r] = "(not a number or string)";
            else
                f[r] = "";
            fl[r] = strlen(f[r]);
        }
        data_record rec;
        rd->m.text = line;
        rd->m.text_len = n;
        if (rc == TS_OK && !data_mapper_record(&rd->m, f, fl, lr->line, &rec, err)) {
            rd->info->rows++;
            rc = rd->fn(rd->ctx, &rec, err);
        } else if (rc == TS_OK) {
            rc = err->code;
        }
        cJSON_Delete(o);
    }
    if (rc == TS_OK && err->code)
        rc = err->code;
    if (rc == TS_OK && !mapped)
        rc = ts_error_set(err, TS_ERR_INPUT, rd->path, 0, 0, "empty file: expected JSON objects, one a line");
    return rc;
}

int data_read_file(const char *path, const data_opts *o, data_record_fn fn, void *ctx, data_info *info,
                   ts_error *err)
{
    memset(info, 0, sizeof *info);
    data_stream *s = data_stream_open(path, err);
    if (!s)
        return err->code;
    info->compression = data_stream_compression(s);
    line_reader lr = { .s = s, .cap = 1 << 17 };
    lr.buf = malloc(lr.cap);
    if (!lr.buf) {
        data_stream_close(s);
        return ts_error_set(err, TS_ERR_RUNTIME, NULL, 0, 0, "out of memory reading '%s'", path);
    }
    /* peek at the first byte that is not white space (or a BOM) */
    while (!lr.eof) {
        size_t k = lr.start;
        while (k < lr.end && (isspace((unsigned char)lr.buf[k]) || (unsigned char)lr.buf[k] >= 0xbb))
            k++;
        if (k < lr.end)
            break;
        long got = data_stream_read(s, lr.buf + lr.end, lr.cap - lr.end, err);
        if (got < 0)
            break;
        lr.eof = got == 0;
        lr.end += (size_t)got;
        if (lr.end == lr.cap)
            break;
    }
    int rc = err->code;
    if (rc == TS_OK) {
        if (lr.end >= 3 && !memcmp(lr.buf, "\xef\xbb\xbf", 3))
            lr.start = 3;
        size_t k = lr.start;
        while (k < lr.end && isspace((unsigned char)lr.buf[k]))
            k++;
        bool jsonl = k < lr.end && lr.buf[k] == '{';
        snprintf(info->format, sizeof info->format, "%s", jsonl ? "jsonl" : "csv");
        reading rd = { .path = path, .o = o, .fn = fn, .ctx = ctx, .info = info };
        rc = jsonl ? read_jsonl(&rd, &lr, err) : read_csv(&rd, &lr, err);
    }
    free(lr.buf);
    data_stream_close(s);
    return rc;
}

/* ---- a plain table ------------------------------------------------------ */

typedef struct table_ctx {
    char **field;            /* the current row's fields */
    int nfield, cap;
    int rows_done;
    bool oom;
} table_ctx;

static void on_table_field(void *s, size_t len, void *data)
{
    table_ctx *t = data;
    if (t->nfield == t->cap) {
        int nc = t->cap ? 2 * t->cap : 16;
        char **nf = realloc(t->field, (size_t)nc * sizeof *nf);
        if (!nf) {
            t->oom = true;
            return;
        }
        t->field = nf;
        t->cap = nc;
    }
    t->field[t->nfield] = strndup(s ? s : "", len);
    t->oom |= !t->field[t->nfield];
    t->nfield += t->field[t->nfield] != NULL;
}

static void on_table_row(int ch, void *data)
{
    (void)ch;
    ((table_ctx *)data)->rows_done++;
}

static void table_clear_row(table_ctx *t)
{
    for (int k = 0; k < t->nfield; k++)
        free(t->field[k]);
    t->nfield = 0;
}

/* The 1-based character column of each field of line (as char_column). */
static void table_columns(const char *line, size_t n, int *column, int nfield)
{
    bool quoted = false;
    int k = 0;
    if (nfield > 0)
        column[k++] = 1;
    for (size_t i = 0; i < n && k < nfield; i++) {
        if (line[i] == '"')
            quoted = !quoted;
        else if (line[i] == ',' && !quoted)
            column[k++] = (int)i + 2;
    }
    while (k < nfield)
        column[k++] = 1;
}

static int table_rows(const char *path, line_reader *lr, data_row_fn fn, void *ctx, ts_error *err)
{
    struct csv_parser p;
    if (csv_init(&p, CSV_APPEND_NULL) != 0)
        return ts_error_set(err, TS_ERR_RUNTIME, NULL, 0, 0, "out of memory starting the CSV parser");
    table_ctx t = { 0 };
    char **names = NULL;
    int ncols = 0, *column = NULL, rc = TS_OK;
    const char *line;
    size_t n;
    while (rc == TS_OK && next_line(lr, &line, &n, err)) {
        if (n == 0 && t.nfield == 0)
            continue;
        if (csv_parse(&p, line, n, on_table_field, on_table_row, &t) != n ||
            csv_parse(&p, "\n", 1, on_table_field, on_table_row, &t) != 1) {
            rc = ts_error_set(err, TS_ERR_INPUT, path, (int)lr->line, 1, "invalid CSV: %s",
                              csv_strerror(csv_error(&p)));
            break;
        }
        if (t.oom) {
            rc = ts_error_set(err, TS_ERR_RUNTIME, NULL, 0, 0, "out of memory reading '%s'", path);
            break;
        }
        if (!t.rows_done)
            continue;           /* a quoted field goes on on the next line */
        t.rows_done = 0;
        if (!names) {
            names = t.field;
            ncols = t.nfield;
            t.field = NULL;
            t.nfield = t.cap = 0;
            column = malloc((size_t)(ncols + 1) * sizeof *column);
            if (!column)
                rc = ts_error_set(err, TS_ERR_RUNTIME, NULL, 0, 0, "out of memory reading '%s'", path);
            continue;
        }
        int *col = column;
        int *more = t.nfield > ncols ? malloc((size_t)t.nfield * sizeof *more) : NULL;
        if (more)
            col = more;
        else if (t.nfield > ncols) {
            rc = ts_error_set(err, TS_ERR_RUNTIME, NULL, 0, 0, "out of memory reading '%s'", path);
            break;
        }
        table_columns(line, n, col, t.nfield);
        data_row row = { ncols, (const char *const *)names, t.nfield, (const char *const *)t.field, col, lr->line };
        rc = fn(ctx, &row, err);
        free(more);
        table_clear_row(&t);
    }
    if (rc == TS_OK && err->code)
        rc = err->code;
    if (rc == TS_OK && !names)
        rc = ts_error_set(err, TS_ERR_INPUT, path, 0, 0, "empty file: expected a header and rows");
    if (rc == TS_OK && (p.pstate != 0 || t.nfield > 0))
        rc = ts_error_set(err, TS_ERR_INPUT, path, (int)lr->line, 1,
                          "invalid CSV: the file ends inside a quoted field");
    csv_free(&p);
    table_clear_row(&t);
    free(t.field);
    for (int k = 0; k < ncols; k++)
        free(names[k]);
    free(names);
    free(column);
    return rc;
}

int data_read_table(const char *path, data_row_fn fn, void *ctx, ts_error *err)
{
    data_stream *s = data_stream_open(path, err);
    if (!s)
        return err->code;
    line_reader lr = { .s = s, .cap = 1 << 16 };
    lr.buf = malloc(lr.cap);
    int rc = lr.buf ? table_rows(path, &lr, fn, ctx, err)
                    : ts_error_set(err, TS_ERR_RUNTIME, NULL, 0, 0, "out of memory reading '%s'", path);
    free(lr.buf);
    data_stream_close(s);
    return rc;
}
