/* db.c: usage data read from a database: PostgreSQL through libpq, SQLite
 * through its library. Both give text values with column names, mapped and
 * checked exactly as a file's (map.c); a bad value is named by its table (or
 * "query") and row number.
 *
 * PostgreSQL rows come in single-row mode, so a large table streams instead
 * of being held whole by libpq. A server that cannot be reached is a
 * runtime failure (exit 1); a table that does not exist or a query that
 * fails is an input error (exit 2). */
#include <libpq-fe.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reader_internal.h"

static bool is_postgres(const char *url)
{
    return !strncmp(url, "postgresql://", 13) || !strncmp(url, "postgres://", 11) || strchr(url, '=') != NULL;
}

/* The first line of a libpq message, without its trailing newline. */
static void first_line(char *buf, size_t n, const char *msg)
{
    snprintf(buf, n, "%s", msg ? msg : "unknown error");
    buf[strcspn(buf, "\n")] = 0;
}

/* Maps the header and hands on every row; get(i) gives column i's text or
 * NULL for SQL NULL. */
typedef struct db_rows {
    data_mapper m;
    const data_opts *o;
    data_record_fn fn;
    void *ctx;
    data_info *info;
    long row;
} db_rows;

static int db_row(db_rows *d, const char *const *vals, const int *lens, ts_error *err)
{
    const char *f[ROLE_COUNT];
    size_t n[ROLE_COUNT];
    for (int r = 0; r < ROLE_COUNT; r++) {
        int c = d->m.col[r];
        f[r] = c >= 0 ? (vals[c] ? vals[c] : "") : NULL;
        n[r] = c >= 0 && vals[c] ? (size_t)lens[c] : 0;
    }
    data_record rec;
    d->row++;
    if (data_mapper_record(&d->m, f, n, d->row, &rec, err))
        return err->code;
    d->info->rows++;
    return d->fn(d->ctx, &rec, err);
}

static int read_pg(const char *url, const char *sql, const char *what, db_rows *d, ts_error *err)
{
    PGconn *conn = PQconnectdb(url);
    char msg[512];
    if (PQstatus(conn) != CONNECTION_OK) {
        first_line(msg, sizeof msg, PQerrorMessage(conn));
        PQfinish(conn);
        return ts_error_set(err, TS_ERR_RUNTIME, NULL, 0, 0, "cannot reach the database: %s", msg);
    }
    if (!PQsendQuery(conn, sql) || !PQsetSingleRowMode(conn)) {
        first_line(msg, sizeof msg, PQerrorMessage(conn));
        PQfinish(conn);
        return ts_error_set(err, TS_ERR_RUNTIME, NULL, 0, 0, "cannot send the query: %s", msg);
    }
    int rc = TS_OK;
    bool mapped = false;
    const char *vals[512];
    int lens[512];
    PGresult *res;
    while ((res = PQgetResult(conn))) {
        ExecStatusType st = PQresultStatus(res);
        if (rc == TS_OK && st != PGRES_SINGLE_TUPLE && st != PGRES_TUPLES_OK) {
            first_line(msg, sizeof msg, PQresultErrorMessage(res));
            rc = ts_error_set(err, TS_ERR_INPUT, NULL, 0, 0, "cannot read %s: %s", what, msg);
        }
        int nf = PQnfields(res);
        if (rc == TS_OK && !mapped && nf > 0) {
            const char *names[512];
            for (int i = 0; i < nf && i < 512; i++)
                names[i] = PQfname(res, i);
            rc = data_mapper_init(&d->m, names, nf < 512 ? nf : 512, d->o, what, d->info, err);
            d->m.rows_not_lines = true;
            mapped = true;
        }
        for (int t = 0; rc == TS_OK && t < PQntuples(res); t++) {
            for (int i = 0; i < nf && i < 512; i++) {
                vals[i] = PQgetisnull(res, t, i) ? NULL : PQgetvalue(res, t, i);
                lens[i] = PQgetlength(res, t, i);
            }
            rc = db_row(d, vals, lens, err);
        }
        PQclear(res);
    }
    PQfinish(conn);
    return rc;
}

static int read_sqlite(const char *path, const char *sql, const char *what, db_rows *d, ts_error *err)
{
    if (!strncmp(path, "sqlite:", 7))
        path += 7;
    sqlite3 *db = NULL;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        ts_error_set(err, TS_ERR_RUNTIME, NULL, 0, 0, "cannot open the database '%s': %s", path,
                     db ? sqlite3_errmsg(db) : "out of memory");
        sqlite3_close(db);
        return err->code;
    }
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
        int code = sqlite3_errcode(db) == SQLITE_NOTADB || sqlite3_errcode(db) == SQLITE_CANTOPEN ? TS_ERR_RUNTIME
                 : TS_ERR_INPUT;
        ts_error_set(err, code, path, 0, 0, "cannot read %s: %s", what, sqlite3_errmsg(db));
        sqlite3_close(db);
        return err->code;
    }
    int nf = sqlite3_column_count(st);
    if (nf > 512)
        nf = 512;
    const char *names[512], *vals[512];
    int lens[512];
    for (int i = 0; i < nf; i++)
        names[i] = sqlite3_column_name(st, i);
    int rc = data_mapper_init(&d->m, names, nf, d->o, what, d->info, err);
    d->m.rows_not_lines = true;
    int s;
    while (rc == TS_OK && (s = sqlite3_step(st)) == SQLITE_ROW) {
        for (int i = 0; i < nf; i++) {
            vals[i] = (const char *)sqlite3_column_text(st, i);
            lens[i] = sqlite3_column_bytes(st, i);
        }
        rc = db_row(d, vals, lens, err);
    }
    if (rc == TS_OK && s != SQLITE_DONE)
        rc = ts_error_set(err, TS_ERR_RUNTIME, path, 0, 0, "cannot read %s: %s", what, sqlite3_errmsg(db));
    sqlite3_finalize(st);
    sqlite3_close(db);
    return rc;
}

int data_read_db(const char *url, const char *table, const char *query, const data_opts *o, data_record_fn fn,
                 void *ctx, data_info *info, ts_error *err)
{
    memset(info, 0, sizeof *info);
    bool pg = is_postgres(url);
    snprintf(info->format, sizeof info->format, "%s", pg ? "postgresql" : "sqlite");
    char what[300], *sql = NULL;
    if (table) {
        snprintf(what, sizeof what, "table %s", table);
        /* the name quoted as an SQL identifier, its quotes doubled (both
         * databases take "..." identifiers) */
        size_t l = strlen(table);
        sql = malloc(2 * l + 32);
        if (!sql)
            return ts_error_set(err, TS_ERR_RUNTIME, NULL, 0, 0, "out of memory");
        char *p = sql + sprintf(sql, "SELECT * FROM \"");
        for (const char *t = table; *t; t++) {
            if (*t == '"')
                *p++ = '"';
            *p++ = *t;
        }
        strcpy(p, "\"");
    } else {
        snprintf(what, sizeof what, "query");
    }
    db_rows d = { .o = o, .fn = fn, .ctx = ctx, .info = info };
    int rc = pg ? read_pg(url, sql ? sql : query, what, &d, err) : read_sqlite(url, sql ? sql : query, what, &d, err);
    free(sql);
    return rc;
}
